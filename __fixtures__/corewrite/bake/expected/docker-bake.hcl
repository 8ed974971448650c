variable "TAG" {
  default = "latest"
}

group "default" {
  targets = ["controller", "other"]
}

target "controller" {
  context    = "."
  dockerfile = "infrastructure/service-mesh/Dockerfile.controller"
  tags       = ["lucid/controller:${TAG}"]
  platforms  = ["linux/amd64", "linux/arm64"]
}

target "other" {
  context    = "${CONTEXT}"
  dockerfile = "Dockerfile.controller"
}
