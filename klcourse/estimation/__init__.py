"""Estimating KL divergence from data: counts, samples with known densities, samples alone.

* :func:`kl_from_counts` (:mod:`.plugin`): the plug-in estimate from two
  histograms over the same cells, optionally smoothed;
* :func:`kl_monte_carlo` (:mod:`.montecarlo`): ``E_p[log p - log q]`` from samples
  of p when both densities can be evaluated, with its standard error;
* :func:`kl_knn` (:mod:`.knn`): the k-nearest-neighbour estimate for continuous
  samples (Wang, Kulkarni and Verdú 2009);
* :func:`bootstrap_ci` (:mod:`.bootstrap`): a seeded bootstrap interval for any
  of them.

An estimate estimates D(p || q) between the *distributions* the samples stand
for; which distribution that is (a histogram over given cells, a density)
must be decided first. Bits by default, ``base=np.e`` for nats.
"""

from klcourse.estimation.bootstrap import BootstrapCI, bootstrap_ci
from klcourse.estimation.knn import kl_knn
from klcourse.estimation.montecarlo import MonteCarloKL, kl_monte_carlo
from klcourse.estimation.plugin import kl_from_counts, plugin_bias

__all__ = ["kl_from_counts", "plugin_bias", "kl_monte_carlo", "MonteCarloKL", "kl_knn",
           "bootstrap_ci", "BootstrapCI"]
