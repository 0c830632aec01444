// One place for where Debian's redis-server is; tests start it themselves.
export const redisServerPath = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
