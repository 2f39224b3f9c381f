"""KL divergence inside generative models, with small models written in numpy.

One idea per module, every gradient written out by hand so that each term of
each objective is visible:

* :mod:`klcourse.generative.vi` -- variational inference: the identity
  ``log p(x) = ELBO(q) + D(q || posterior)`` on a conjugate model where all
  three terms are exact, factorised Gaussian fits by reverse and forward KL,
  and a single Gaussian fitted to a bimodal target (mode seeking versus mode
  covering).
* :mod:`klcourse.generative.vae` -- a tiny variational autoencoder trained
  with the reparameterisation trick; its reconstruction and KL terms.
* :mod:`klcourse.generative.gan` -- the optimal discriminator, the value
  ``-log 4 + 2 JSD`` and a tiny 1-D GAN whose Jensen-Shannon divergence to the
  data falls during training.
* :mod:`klcourse.generative.pixels` -- neighbouring pixels are dependent; the
  mutual information between them is the KL price of ignoring it.
* :mod:`klcourse.generative.nn` -- the small multilayer perceptron and Adam
  optimiser the VAE and GAN share.

Everything is seeded and deterministic, and every training run takes about a
second on one core.
"""
