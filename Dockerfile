# syntax=docker/dockerfile:1
# The server and the queue worker in one Debian image, built with the
# project's own set-up steps (scripts/setup-system.sh, then npm ci, the
# models and the build, as `npm run setup` does). Not built on the project's
# machines (no Docker daemon there); checked by test/setup/deploy-files.test.ts.
# See docs/deploy.md:
#   docker build -t face-attendance .
#   docker run --env-file prod.env -p 8000:8000 -v fa-data:/var/lib/face-attendance face-attendance
#   docker run --env-file prod.env face-attendance npm run worker          (a queue worker)
#   docker run --env-file prod.env face-attendance npm run db:migrate      (once per release)
FROM node:20.19-bookworm-slim

ENV DEBIAN_FRONTEND=noninteractive \
    NODE_ENV=production \
    DATA_DIR=/var/lib/face-attendance \
    PORT=8000
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /app

# System packages: what `npm ci` needs to build the OpenCV addon, and ffmpeg (the same list as a developer's machine).
COPY scripts/setup-system.sh scripts/setup-system.sh
RUN bash scripts/setup-system.sh \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a source change does not rebuild them.
COPY package.json package-lock.json .npmrc prisma.config.ts ./
COPY prisma prisma
RUN npm ci --no-audit --no-fund \
    && npm cache clean --force

COPY . .
# The models come from their npm package (sha256-checked); the build type-checks and builds the web app.
RUN npm run models:fetch \
    && npm run build \
    && mkdir -p /var/lib/face-attendance \
    && chown -R node:node /var/lib/face-attendance

USER node
VOLUME ["/var/lib/face-attendance"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/api/v1/system/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["npm", "start"]
