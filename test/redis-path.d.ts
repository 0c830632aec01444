export declare const redisServerPath: string;
