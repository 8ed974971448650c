arg NODE_VERSION=20
from node:${NODE_VERSION}-alpine AS deps
workdir /app
copy package.json package-lock.json ./
run npm ci --omit=dev

from --platform=$TARGETPLATFORM node:${NODE_VERSION}-alpine AS build
workdir /app
copy --from=deps /app/node_modules ./node_modules
copy . .
run npm run build

from gcr.io/distroless/nodejs20-debian12
workdir /app
copy --from=build /app/dist ./dist
copy --from=deps /app/node_modules ./node_modules
env NODE_ENV=production PORT=$PORT
expose 3000
cmd ["dist/server.js"]
