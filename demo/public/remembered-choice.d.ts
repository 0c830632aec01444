export declare function rememberedChoice(key: string): string | null;
export declare function rememberChoice(key: string, param: string, value: string): void;
