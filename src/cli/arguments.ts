/** Command-line options, read with node's own parser: a mistyped option stops the command with its name. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<Given extends Options> = { [Name in keyof Given]?: Given[Name]['type'] extends 'boolean' ? boolean : string };

export function readArguments<Given extends Options>(command: string, args: string[], options: Given, help: string): Values<Given> {
  try {
    const { values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } } as Given & { help: { type: 'boolean'; short: 'h' } }, allowPositionals: false, strict: true });
    if ((values as { help?: boolean }).help === true) {
      process.stdout.write(help);
      process.exit(0);
    }
    return values as Values<Given>;
  } catch (error) {
    process.stderr.write(`k360-verify ${command}: ${error instanceof Error ? error.message : String(error)}\n\n${help}`);
    process.exit(2);
  }
}
