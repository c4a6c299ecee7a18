# One image for every app; the command chooses which one runs (see docker-compose.yml).
# Stage 1 installs everything and generates the Prisma client; stage 2 keeps production deps only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CI=true NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
COPY apps/gateway/package.json apps/gateway/
COPY apps/report-service/package.json apps/report-service/
COPY apps/insight-worker/package.json apps/insight-worker/
COPY apps/export-worker/package.json apps/export-worker/
COPY apps/web/package.json apps/web/
COPY libs/auth/package.json libs/auth/
COPY libs/charts/package.json libs/charts/
COPY libs/config/package.json libs/config/
COPY libs/contracts/package.json libs/contracts/
COPY libs/dashboards/package.json libs/dashboards/
COPY libs/db/package.json libs/db/
COPY libs/launcher/package.json libs/launcher/
COPY libs/metrics/package.json libs/metrics/
COPY libs/outbound/package.json libs/outbound/
COPY libs/queue/package.json libs/queue/
COPY libs/result-profile/package.json libs/result-profile/
COPY libs/redrive/package.json libs/redrive/
COPY libs/runtime/package.json libs/runtime/
COPY libs/storage/package.json libs/storage/
COPY libs/testing/package.json libs/testing/
RUN npm ci --no-audit --no-fund
COPY . .
# generate never runs the schema engine, but the CLI wants a path to one.
RUN PRISMA_SCHEMA_ENGINE_BINARY="$(command -v node)" npx prisma generate && node apps/web/build-if-stale.cjs && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
RUN groupadd --system app && useradd --system --gid app --home /app app && mkdir -p /app/var && chown app:app /app/var
COPY --from=build --chown=app:app /app /app
USER app
# Apps run from their TypeScript sources through swc (compiled on load, in memory).
ENTRYPOINT ["node", "-r", "@swc-node/register"]
CMD ["apps/gateway/src/main.ts"]
