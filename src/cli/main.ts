// face-attendance CLI: detect | embed | verify | eval. Runs the face pipeline
// in-process with the engine settings from the environment (MODEL_PACK, ...).
import { parseArgs } from 'node:util';
import { isImageDecodeError } from '../vision/image-errors.js';
import { CliError, openPipeline } from './cli-pipeline.js';
import { detectCommand } from './detect.js';
import { embedCommand } from './embed.js';
import { evalCommand } from './eval.js';
import { verifyCommand } from './verify.js';

const USAGE = `usage: face-attendance <command>
  detect <image>                              faces: boxes, scores, landmarks, quality (JSON)
  embed <image>                               embeddings of every face (JSON)
  verify <image-a> <image-b> [--json]         similarity and same/different at RECOGNITION_THRESHOLD
  eval --pairs <csv> --images <dir> [--json]  AUC, accuracy, TAR@FAR over a pairs file
                                              (CSV: header, image a, image b, Yes/No|1/0|true/false)
`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      pairs: { type: 'string' },
      images: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  const need = (n: number): void => {
    if (rest.length !== n) {throw new CliError(`${command} takes ${n} argument(s)\n${USAGE}`);}
  };
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return;
  }
  if (!['detect', 'embed', 'verify', 'eval'].includes(command)) {
    throw new CliError(`unknown command "${command}"\n${USAGE}`);
  }
  if (command === 'eval' && (!values.pairs || !values.images)) {
    throw new CliError(`eval needs --pairs <csv> and --images <dir>\n${USAGE}`);
  }
  need(command === 'verify' ? 2 : command === 'eval' ? 0 : 1);
  const ctx = await openPipeline();
  try {
    switch (command) {
      case 'detect':
        return await detectCommand(ctx, rest[0]!);
      case 'embed':
        return await embedCommand(ctx, rest[0]!);
      case 'verify':
        return await verifyCommand(ctx, rest[0]!, rest[1]!, values.json);
      case 'eval':
        return await evalCommand(ctx, values.pairs!, values.images!, values.json);
    }
  } finally {
    await ctx.pipeline.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof CliError || isImageDecodeError(err) || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    process.stderr.write(`face-attendance: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`face-attendance: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
