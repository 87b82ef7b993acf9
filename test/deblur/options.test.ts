import { describe, expect, it } from 'vitest';
import { createMethod } from '../../src/deblur/index.js';
import { DEFAULT_IO } from '../../src/deblur/onnx/model-runner.js';
import { ioFromOptions } from '../../src/deblur/onnx/method.js';
import { booleanOption, numberOption, parseMethodSpec } from '../../src/deblur/options.js';
import { expectOneLineUserError } from '../helpers/errors.js';

const io = (spec: string, netMultiple?: number) => ioFromOptions(parseMethodSpec(`onnx:m.onnx,${spec}`).options, { ...DEFAULT_IO, multiple: 8 }, netMultiple);
const oneLine = async (f: () => unknown, pattern: RegExp) => expectOneLineUserError(Promise.resolve().then(f), pattern);

describe('method options', () => {
  it('numbers are plain decimals: empty, hex, binary and padded values are errors naming option and value', async () => {
    const n = (value: string) => numberOption({ nsr: value }, 'nsr', 1, (v) => v > 0, 'NSR must be > 0');
    expect([n('2'), n('0.002'), n('+.5'), n('5.'), n('2e-3'), n('1E2')]).toEqual([2, 0.002, 0.5, 5, 0.002, 100]);
    for (const bad of ['', '0x10', '0b1', ' 5', '1,5', 'Infinity', '1e', '.']) await oneLine(() => n(bad), new RegExp(`^option nsr=${bad.replace(/[.+]/g, '\\$&')} is invalid`));
    await oneLine(() => n('-1'), /^option nsr=-1 is invalid: NSR must be > 0$/);
  });

  it('booleans are true or false, nothing else', async () => {
    expect([booleanOption({ r: 'true' }, 'r', false), booleanOption({ r: 'false' }, 'r', true), booleanOption({}, 'r', true)]).toEqual([true, false, true]);
    expect(io('residual=false').residual).toBe(false);
    expect(io('residual=true').residual).toBe(true);
    for (const bad of ['yes', '1', 'TRUE']) await oneLine(() => io(`residual=${bad}`), new RegExp(`^option residual=${bad} is invalid: use true or false$`));
  });

  it('an empty option value is an error, not "not given"', async () => {
    await oneLine(() => createMethod('deblurgan:model='), /^option model= needs a value$/);
    await oneLine(() => createMethod('onnx:m.onnx,tile='), /^option tile= needs a value$/);
  });

  it('a tile or overlap given explicitly switches tiling on, unless tiling=off', () => {
    expect(io('range=unit').tileAbovePixels).toBe(1280 * 720);
    expect(io('tile=128')).toMatchObject({ tile: 128, tileAbovePixels: 1 });
    expect(io('overlap=16')).toMatchObject({ overlap: 16, tileAbovePixels: 1 });
    expect(io('tile=128,tiling=auto').tileAbovePixels).toBe(1);
    expect(io('tile=128,tiling=off').tileAbovePixels).toBe(0);
  });

  it('multiple: a multiple of the network\'s own; the tile in effect (given or default) a multiple of it', async () => {
    expect(io('multiple=16', 4).multiple).toBe(16);
    await oneLine(() => io('multiple=3', 4), /^option multiple=3 is invalid: a positive multiple of 4 \(the network's own\)$/);
    await oneLine(() => io('multiple=0'), /^option multiple=0 is invalid: a positive integer$/);
    // default tile 512 does not divide by 3 or 24
    await oneLine(() => io('multiple=3'), /^option multiple=3 is invalid: the default tile \(512\) is not a multiple of it; give tile= too$/);
    await oneLine(() => io('multiple=24', 4), /^option multiple=24 is invalid: the default tile \(512\)/);
    expect(io('multiple=24,tile=480', 4)).toMatchObject({ multiple: 24, tile: 480 });
    await oneLine(() => io('multiple=24,tile=500', 4), /^option tile=500 is invalid: it must be a multiple of 24$/);
  });
});
