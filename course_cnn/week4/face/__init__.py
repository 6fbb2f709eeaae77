"""Face verification and recognition (course week 4, first half).

* verification (1:1, "is this the claimed person?") vs recognition (1:K,
  "which of K people, or nobody?");
* one-shot learning through a learned distance $d(x_1, x_2)$ between
  encodings, from a siamese encoder trained with the triplet loss;
* verification as binary classification on pairs of encodings;
* a real pretrained 128-D face encoder (dlib's ResNet, via face-api.js) and
  a database of known faces.
"""

from course_cnn.week4.face.database import FaceDatabase, UnknownIdentityError
from course_cnn.week4.face.encoding import (
    DEFAULT_THRESHOLD,
    NoFaceError,
    extract_face,
    img_to_encoding,
    read_image,
    verify,
    who_is_it,
)
from course_cnn.week4.face.mining import (
    TripletHardLoss,
    TripletSemiHardLoss,
    batch_all_triplet_loss,
    batch_hard_triplet_loss,
    batch_semi_hard_triplet_loss,
    pairwise_distances,
    triplet_loss_loops,
)
from course_cnn.week4.face.pretrained import (
    FACE_INPUT_SIZE,
    FACE_MEAN_RGB,
    ChannelScale,
    ChannelZeroPad,
    load_face_encoder,
)
from course_cnn.week4.face.triplet import TripletLoss, triplet_loss

__all__ = [
    # graded-style (course signatures)
    "triplet_loss",
    "img_to_encoding",
    "verify",
    "who_is_it",
    "DEFAULT_THRESHOLD",
    # pretrained encoder and face crops
    "load_face_encoder",
    "FACE_INPUT_SIZE",
    "FACE_MEAN_RGB",
    "ChannelScale",
    "ChannelZeroPad",
    "read_image",
    "extract_face",
    "NoFaceError",
    "FaceDatabase",
    "UnknownIdentityError",
    # triplet losses and online mining
    "TripletLoss",
    "pairwise_distances",
    "batch_all_triplet_loss",
    "batch_hard_triplet_loss",
    "batch_semi_hard_triplet_loss",
    "triplet_loss_loops",
    "TripletSemiHardLoss",
    "TripletHardLoss",
]
