from node:20 AS assets
workdir /site
copy package.json yarn.lock ./
run yarn install --frozen-lockfile
copy . .
run yarn build

from nginx:1.27-alpine
copy nginx.conf /etc/nginx/conf.d/default.conf
copy --from=assets --chown=nginx:nginx /site/public /usr/share/nginx/html
expose 80
stopsignal SIGQUIT
