# The API, the worker and the migration command share one image; docker-compose.yml picks the
# command. Temporal's binaries are not needed here: they serve only local runs and tests.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# virsh (SNAPSHOT_PROVIDER=libvirt) and its SSH transports reach the customers' hypervisors.
RUN apt-get update && apt-get install -y --no-install-recommends libvirt-clients openssh-client \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Mail templates are read at run time (activities/mail-templates.ts), beside package.json.
COPY --from=build /app/templates ./templates
# The host-check command catalogue (HOST_CATALOGUE_DIR); mount your own folder over it.
COPY --from=build /app/catalogue ./catalogue
# The console's page templates, script and style sheet, served by the API (api/console/console-views.ts).
COPY --from=build /app/web ./web
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
