/**
 * DeblurGAN losses in tfjs. Critic (WGAN-GP): mean D(fake) − mean D(real) + λ·GP, the penalty
 * (‖∇D(x̂)‖₂ − 1)² on interpolates x̂ = α·real + (1 − α)·fake with one α per batch element.
 * Generator: −mean D(fake) + w·content. Content losses: the paper's VGG19 conv3_3 feature MSE
 * (`vgg`, ImageNet weights from a file the user gives: vgg19.ts), or on pixels L1 / MSE.
 */
import type { Scalar, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../../core/tfjs-backend.js';
import type { Vgg19 } from './vgg19.js';

export type ContentLoss = 'vgg' | 'l1' | 'mse';

/**
 * The content loss used when no VGG19 weights are given. Chosen by measurement: L1 and MSE runs
 * of 8 minutes each from the same initialisation and seed; validation PSNR at step 400 was −0.09 dB
 * (L1) vs +0.37 dB (MSE) over the blurred input (models/deblurgan/README.md).
 */
export const OFFLINE_CONTENT_LOSS: ContentLoss = 'mse';

export function contentLoss(tf: Tf, kind: ContentLoss, restored: Tensor4D, sharp: Tensor4D, vgg?: Vgg19): Scalar {
  if (kind === 'vgg') {
    if (!vgg) throw new Error('the vgg content loss needs VGG19 weights');
    return vgg.perceptualLoss(restored, sharp);
  }
  const d = tf.sub(restored, sharp);
  return (kind === 'l1' ? tf.mean(tf.abs(d)) : tf.mean(tf.square(d))) as Scalar;
}

/** How a checkpoint records its content loss. */
export function describeContentLoss(kind: ContentLoss, vgg?: { identity: string }): string {
  if (kind === 'vgg') return `VGG19 conv3_3 (before ReLU) feature MSE, ImageNet weights sha256 ${vgg?.identity ?? '?'}`;
  return `${kind} on pixels`;
}

/** Gradient penalty of `critic` at interpolates between real and fake (one α per sample). */
export function gradientPenalty(tf: Tf, critic: (x: Tensor4D) => Tensor, real: Tensor4D, fake: Tensor4D, alpha: Tensor): Scalar {
  const a = tf.reshape(alpha, [-1, 1, 1, 1]);
  const mixed = tf.add(tf.mul(a, real), tf.mul(tf.sub(1, a), fake)) as Tensor4D;
  const grad = tf.grad((x: Tensor) => tf.sum(critic(x as Tensor4D)))(mixed);
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(grad), [1, 2, 3]), 1e-12));
  return tf.mean(tf.square(tf.sub(norms, 1))) as Scalar;
}

export function criticLoss(tf: Tf, critic: (x: Tensor4D) => Tensor, real: Tensor4D, fake: Tensor4D, alpha: Tensor, lambda = 10): { loss: Scalar; wasserstein: Scalar } {
  const wasserstein = tf.sub(tf.mean(critic(real)), tf.mean(critic(fake))) as Scalar;
  const loss = tf.add(tf.neg(wasserstein), tf.mul(lambda, gradientPenalty(tf, critic, real, fake, alpha))) as Scalar;
  return { loss, wasserstein };
}
