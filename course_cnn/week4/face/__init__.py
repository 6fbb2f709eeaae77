"""Face verification and recognition (course week 4, first half).

* verification (1:1, "is this the claimed person?") vs recognition (1:K,
  "which of K people, or nobody?");
* one-shot learning through a learned distance $d(x_1, x_2)$ between
  encodings, from a siamese encoder trained with the triplet loss;
* verification as binary classification on pairs of encodings;
* a real pretrained 128-D face encoder (dlib's ResNet, via face-api.js) and
  a database of known faces.
"""

from course_cnn.week4.face.classify import (
    VerificationClassifier,
    choose_threshold,
    pair_features,
    plot_roc,
    verification_auc,
)
from course_cnn.week4.face.database import FaceDatabase, UnknownIdentityError
from course_cnn.week4.face.encoding import (
    COURSE_THRESHOLD,
    DEFAULT_THRESHOLD,
    NoFaceError,
    extract_face,
    img_to_encoding,
    read_image,
    verify,
    who_is_it,
)
from course_cnn.week4.face.identities import augment_images, projection_head, rotation_identities
from course_cnn.week4.face.mined_losses import TripletBatchAllLoss, TripletHardLoss, TripletSemiHardLoss
from course_cnn.week4.face.mining import (
    batch_all_triplet_loss,
    batch_hard_triplet_loss,
    batch_semi_hard_triplet_loss,
    pairwise_distances,
    triplet_loss_loops,
)
from course_cnn.week4.face.oneshot import fashion_one_shot_experiment, one_shot_scores
from course_cnn.week4.face.pretrained import (
    FACE_INPUT_SIZE,
    FACE_MEAN_RGB,
    ChannelScale,
    ChannelZeroPad,
    load_face_encoder,
)
from course_cnn.week4.face.siamese import as_float_images, identity_batches, siamese_encoder, train_triplet_encoder
from course_cnn.week4.face.triplet import TripletLoss, triplet_loss

__all__ = [
    # graded-style (course signatures)
    "triplet_loss",
    "img_to_encoding",
    "verify",
    "who_is_it",
    "COURSE_THRESHOLD",
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
    "TripletBatchAllLoss",
    # siamese encoders and their training
    "siamese_encoder",
    "identity_batches",
    "train_triplet_encoder",
    "as_float_images",
    "rotation_identities",
    "augment_images",
    "projection_head",
    # verification as binary classification
    "pair_features",
    "VerificationClassifier",
    "choose_threshold",
    "verification_auc",
    "plot_roc",
    # one-shot learning, measured
    "one_shot_scores",
    "fashion_one_shot_experiment",
]
