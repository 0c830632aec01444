// Where Debian's redis-server is (demo/cluster/redis-server.ts reads the same variable); tests start it themselves.
export const redisServerPath = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
