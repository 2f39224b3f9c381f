"""KL in deep-learning practice, in numpy (no framework is imported).

* :mod:`klcourse.deeplearning.losses`: softmax cross-entropy, label smoothing,
  knowledge distillation;
* :mod:`klcourse.deeplearning.estimators`: the k1/k2/k3 estimators of the KL
  penalty in RL fine-tuning;
* :mod:`klcourse.deeplearning.classifier`: a small softmax classifier trained by
  gradient descent, and its calibration;
* :mod:`klcourse.deeplearning.conventions`: the documented formulas of
  PyTorch's ``kl_div`` and Keras' ``KLDivergence``, restated in numpy.

Everything is in nats, as the frameworks' losses are.
"""

from klcourse.deeplearning.estimators import kl_estimators
from klcourse.deeplearning.losses import (distillation_loss, label_smoothing, log_softmax,
                                          softmax, softmax_cross_entropy)

__all__ = ["softmax_cross_entropy", "label_smoothing", "distillation_loss", "kl_estimators",
           "log_softmax", "softmax"]
