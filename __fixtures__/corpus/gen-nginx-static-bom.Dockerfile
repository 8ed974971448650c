FROM node:20 AS assets
WORKDIR /site
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build

FROM nginx:1.27-alpine
COPY nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=assets --chown=nginx:nginx /site/public /usr/share/nginx/html
EXPOSE 80
STOPSIGNAL SIGQUIT
