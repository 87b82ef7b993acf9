import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { Registry, closestNames, editDistance } from '../../src/core/registry.js';

describe('Registry', () => {
  const make = () =>
    new Registry<number>('method')
      .register('wiener', 'Wiener deconvolution', () => 1)
      .register('richardson-lucy', 'Richardson–Lucy', async () => 2)
      .register('deblurgan', 'DeblurGAN', () => 3);

  it('loads lazily by name', async () => {
    let loaded = 0;
    const reg = new Registry<string>('thing').register('a', 'A', () => {
      loaded++;
      return 'value';
    });
    expect(loaded).toBe(0);
    expect(await reg.load('a')).toBe('value');
    expect(loaded).toBe(1);
  });

  it('rejects duplicate names', () => {
    expect(() => make().register('wiener', 'again', () => 4)).toThrow(/duplicate method "wiener"/);
  });

  it('unknown names are a UserError that suggests the closest names', async () => {
    const reg = make();
    await expect(reg.load('weiner')).rejects.toThrow(UserError);
    await expect(reg.load('weiner')).rejects.toThrow(/did you mean "wiener"/);
    expect(() => reg.entry('zzzzzzzz')).toThrow(/unknown method "zzzzzzzz" \(known: wiener, richardson-lucy, deblurgan\)/);
  });

  it('edit distance and suggestions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closestNames('basicrs', ['skimage', 'basicsr', 'gaussian'])).toEqual(['basicsr']);
    expect(closestNames('matlab', ['matlab3d', 'skimage'])).toEqual(['matlab3d']);
  });
});
