"""Week 4: special applications.

* :mod:`course_cnn.week4.face`: face verification and recognition (one-shot
  learning, siamese encoders, the triplet loss, a pretrained embedding).
* :mod:`course_cnn.week4.style`: neural style transfer, what ConvNets learn,
  and convolutions in 1D and 3D.
"""
