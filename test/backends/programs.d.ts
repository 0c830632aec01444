export declare const phpPath: string;
export declare const nginxPath: string;
export declare const javaPath: string;
export declare const javacPath: string;
export declare const pythonPath: string;
