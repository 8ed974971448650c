variable "TAG" {
  default = "latest"
}

group "default" {
  targets = ["controller", "other"]
}

target "controller" {
  context    = "infrastructure/service-mesh"
  dockerfile = "Dockerfile.controller"
  tags       = ["lucid/controller:${TAG}"]
  platforms  = ["linux/amd64", "linux/arm64"]
}

target "other" {
  context    = "${CONTEXT}"
  dockerfile = "Dockerfile.controller"
}
