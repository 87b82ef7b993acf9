/**
 * DeblurGAN networks as plain data: an ordered list of layers with named parameters. The tfjs
 * forward pass (network.ts), the ONNX export (onnx-export.ts) and parameter counting all walk
 * the same list, so they cannot drift apart.
 *
 * Parameter layouts follow tfjs: conv kernels [kH, kW, in, out]; transposed-conv kernels
 * [kH, kW, out, in]; vectors [C].
 */
export type Layer =
  | { kind: 'reflectPad'; pad: number }
  | { kind: 'conv'; name: string; kernel: number; stride: number; inC: number; outC: number; /** zero padding each side */ pad: number | 'same' }
  /** PyTorch ConvTranspose2d(k, stride 2, padding 1, output_padding 1): exactly doubles H and W. */
  | { kind: 'convTranspose'; name: string; kernel: number; inC: number; outC: number }
  /** Nearest-neighbour ×2 (Keras UpSampling2D). */
  | { kind: 'upsample' }
  | { kind: 'instanceNorm' }
  | { kind: 'batchNorm'; name: string; channels: number; eps: number }
  | { kind: 'relu' }
  | { kind: 'leakyRelu'; alpha: number }
  | { kind: 'tanh' }
  /** Dropout(0.5) in the residual blocks: active only in training; inference is deterministic. */
  | { kind: 'dropout'; rate: number }
  | { kind: 'residual'; body: Layer[] };

export type Variant = 'official' | 'keras';

export interface GeneratorConfig {
  variant: Variant;
  ngf: number;
  blocks: number;
}

export interface CriticConfig {
  ndf: number;
  layers: number;
}

export interface NetworkSpec {
  layers: Layer[];
  /** How the network output combines with its input. */
  output: 'clamp-skip' | 'half-skip' | 'none';
  /** H and W must be multiples of this. */
  multiple: number;
}

export const DEFAULT_GENERATOR: GeneratorConfig = { variant: 'official', ngf: 64, blocks: 9 };
export const DEFAULT_CRITIC: CriticConfig = { ndf: 64, layers: 3 };

export function generatorSpec(cfg: GeneratorConfig = DEFAULT_GENERATOR): NetworkSpec {
  const { ngf, blocks, variant } = cfg;
  const keras = variant === 'keras';
  let bn = 0;
  const norm = (channels: number): Layer => (keras ? { kind: 'batchNorm', name: `bn${bn++}`, channels, eps: 1e-3 } : { kind: 'instanceNorm' });
  const layers: Layer[] = [{ kind: 'reflectPad', pad: 3 }, { kind: 'conv', name: 'in_conv', kernel: 7, stride: 1, inC: 3, outC: ngf, pad: 0 }, norm(ngf), { kind: 'relu' }];
  let c = ngf;
  for (let i = 0; i < 2; i++) {
    layers.push({ kind: 'conv', name: `down${i}`, kernel: 3, stride: 2, inC: c, outC: c * 2, pad: keras ? 'same' : 1 }, norm(c * 2), { kind: 'relu' });
    c *= 2;
  }
  for (let b = 0; b < blocks; b++) {
    layers.push({
      kind: 'residual',
      body: [
        { kind: 'reflectPad', pad: 1 },
        { kind: 'conv', name: `res${b}_conv0`, kernel: 3, stride: 1, inC: c, outC: c, pad: 0 },
        norm(c),
        { kind: 'relu' },
        { kind: 'dropout', rate: 0.5 },
        { kind: 'reflectPad', pad: 1 },
        { kind: 'conv', name: `res${b}_conv1`, kernel: 3, stride: 1, inC: c, outC: c, pad: 0 },
        norm(c),
      ],
    });
  }
  for (let i = 0; i < 2; i++) {
    if (keras) layers.push({ kind: 'upsample' }, { kind: 'conv', name: `up${i}`, kernel: 3, stride: 1, inC: c, outC: c / 2, pad: 'same' });
    else layers.push({ kind: 'convTranspose', name: `up${i}`, kernel: 3, inC: c, outC: c / 2 });
    layers.push(norm(c / 2), { kind: 'relu' });
    c /= 2;
  }
  layers.push({ kind: 'reflectPad', pad: 3 }, { kind: 'conv', name: 'out_conv', kernel: 7, stride: 1, inC: c, outC: 3, pad: 0 }, { kind: 'tanh' });
  return { layers, output: keras ? 'half-skip' : 'clamp-skip', multiple: 4 };
}

/** PatchGAN critic ("basic", n_layers 3): 4×4 convs, padding 2, LeakyReLU 0.2, no sigmoid (WGAN-GP). */
export function criticSpec(cfg: CriticConfig = DEFAULT_CRITIC): NetworkSpec {
  const { ndf, layers: n } = cfg;
  const layers: Layer[] = [{ kind: 'conv', name: 'd_conv0', kernel: 4, stride: 2, inC: 3, outC: ndf, pad: 2 }, { kind: 'leakyRelu', alpha: 0.2 }];
  let mult = 1;
  for (let i = 1; i <= n; i++) {
    const prev = mult;
    mult = Math.min(2 ** i, 8);
    layers.push({ kind: 'conv', name: `d_conv${i}`, kernel: 4, stride: i < n ? 2 : 1, inC: ndf * prev, outC: ndf * mult, pad: 2 }, { kind: 'instanceNorm' }, { kind: 'leakyRelu', alpha: 0.2 });
  }
  layers.push({ kind: 'conv', name: `d_conv${n + 1}`, kernel: 4, stride: 1, inC: ndf * mult, outC: 1, pad: 2 });
  return { layers, output: 'none', multiple: 1 };
}

export interface ParamShape {
  name: string;
  shape: number[];
}

/** Every parameter tensor of a network, in a stable order. */
export function parameterShapes(spec: NetworkSpec): ParamShape[] {
  const out: ParamShape[] = [];
  const walk = (layers: Layer[]): void => {
    for (const l of layers) {
      if (l.kind === 'conv') out.push({ name: `${l.name}/kernel`, shape: [l.kernel, l.kernel, l.inC, l.outC] }, { name: `${l.name}/bias`, shape: [l.outC] });
      else if (l.kind === 'convTranspose') out.push({ name: `${l.name}/kernel`, shape: [l.kernel, l.kernel, l.outC, l.inC] }, { name: `${l.name}/bias`, shape: [l.outC] });
      else if (l.kind === 'batchNorm') {
        for (const p of ['gamma', 'beta', 'moving_mean', 'moving_variance']) out.push({ name: `${l.name}/${p}`, shape: [l.channels] });
      } else if (l.kind === 'residual') walk(l.body);
    }
  };
  walk(spec.layers);
  return out;
}

/** Trainable parameter count (BatchNorm moving statistics excluded, as frameworks count them). */
export function countParameters(spec: NetworkSpec): number {
  return parameterShapes(spec)
    .filter((p) => !/moving_/.test(p.name))
    .reduce((acc, p) => acc + p.shape.reduce((a, b) => a * b, 1), 0);
}
