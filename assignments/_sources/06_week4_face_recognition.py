"""Week 4, assignment 1: face verification and recognition."""

from _build import check, code, exercise, markdown, setup

FILENAME = "06_week4_face_recognition.ipynb"


def cells():
    return [
        markdown("""
# Week 4 — Face recognition

* **Verification** (1:1): is this the person they claim to be? Compare one encoding with one stored encoding.
* **Recognition** (1:K): who is this, among K people — or nobody?

Both rest on an encoder $f$ trained so that photos of the same person map close together (one-shot learning:
one stored photo per person is enough). It is trained with the **triplet loss** on (anchor, positive,
negative) triplets:

$$\\mathcal{J} = \\sum_{i=1}^{m} \\max\\left(\\lVert f(A^{(i)}) - f(P^{(i)})\\rVert_2^2
- \\lVert f(A^{(i)}) - f(N^{(i)})\\rVert_2^2 + \\alpha,\\ 0\\right)$$

Then you use a real pretrained 128-D encoder (dlib's ResNet, via face-api.js, shipped with the package) on
real photos.
"""),
        setup('''
import tensorflow as tf'''),
        markdown("""
## 1. The triplet loss

`anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]`, each of shape `(m, 128)`. Sum the squared
differences over the **encoding axis** (`axis=-1`) to get one distance per triplet, apply the hinge
`max(..., 0)`, then sum over the batch.
"""),
        exercise("week4.triplet_loss", '''
def triplet_loss(y_true, y_pred, alpha=0.2):
    """y_pred = (anchor, positive, negative), each (m, d). Returns the loss, a scalar tensor."""
    raise NotImplementedError
'''),
        check("week4.triplet_loss"),
        markdown("""
## 2. A pretrained encoder and a database of faces

`img_to_encoding(image, model)` (a path or an RGB array) finds the face with the week-3 face detector, crops it, and returns its
L2-normalised 128-D encoding. The shipped photos (from the `face_recognition` project, MIT licence) show
Barack Obama (three photos) and Joe Biden (one).
"""),
        code('''
from course_cnn.datasets import load_photo
from course_cnn.week4.face import DEFAULT_THRESHOLD, img_to_encoding, load_face_encoder

encoder = load_face_encoder()
photos = {name: load_photo(name) for name in ("obama_1", "obama_2", "obama_3", "biden")}  # RGB arrays
database = {"obama": img_to_encoding(photos["obama_1"], encoder), "biden": img_to_encoding(photos["biden"], encoder)}
encodings = {name: img_to_encoding(path, encoder) for name, path in photos.items()}
for a in encodings:
    print(a.ljust(8), " ".join(f"{np.linalg.norm(encodings[a] - encodings[b]):.3f}" for b in encodings))
print("threshold:", DEFAULT_THRESHOLD)
'''),
        markdown("""
## 3. Verification

Encode the photo with `img_to_encoding(image_path, model)`, compute the L2 distance to the claimed identity's
encoding in `database` (a dict name → encoding of shape `(1, 128)`), and open the door when it is below the
threshold. The course's FaceNet used 0.7; this encoder's threshold, calibrated on the shipped photos, is
`DEFAULT_THRESHOLD` (0.4).
"""),
        exercise("week4.verify", '''
def verify(image_path, identity, database, model, threshold=DEFAULT_THRESHOLD):
    """Returns (dist, door_open): the distance to database[identity] and whether dist < threshold."""
    raise NotImplementedError
'''),
        check("week4.verify"),
        markdown("""
## 4. Recognition

Find the closest identity of the database. If even the closest is at or above the threshold, the person is
not in the database: return `None` as the identity (the "K+1-th class").
"""),
        exercise("week4.who_is_it", '''
def who_is_it(image_path, database, model, threshold=DEFAULT_THRESHOLD):
    """Returns (min_dist, identity), identity None when min_dist >= threshold."""
    raise NotImplementedError
'''),
        check("week4.who_is_it"),
        code('''
print("obama_2 claims to be obama:", verify(photos["obama_2"], "obama", database, encoder))
print("obama_3 claims to be biden:", verify(photos["obama_3"], "biden", database, encoder))
print("who is obama_3?", who_is_it(photos["obama_3"], database, encoder))
print("who is Grace Hopper?", who_is_it(load_photo("grace_hopper"), database, encoder))
'''),
        markdown("""
## 5. The triplet loss as a Keras loss

Your `triplet_loss` has a Keras loss signature `(y_true, y_pred)`. A one-step check that it trains an
encoder: the loss on a batch of random triplets goes down after a gradient step.
"""),
        code('''
import keras
keras.utils.set_random_seed(0)
encoder_net = keras.Sequential([keras.Input((16,)), keras.layers.Dense(8), keras.layers.UnitNormalization()])
rng = np.random.default_rng(0)
anchor = rng.normal(size=(32, 16)).astype("float32")
positive = anchor + 0.1 * rng.normal(size=anchor.shape).astype("float32")
negative = rng.normal(size=anchor.shape).astype("float32")
optimizer = keras.optimizers.Adam(0.05)
for step in range(3 if QUICK else 50):
    with tf.GradientTape() as tape:
        loss = triplet_loss(None, (encoder_net(anchor), encoder_net(positive), encoder_net(negative)))
    grads = tape.gradient(loss, encoder_net.trainable_variables)
    optimizer.apply_gradients(zip(grads, encoder_net.trainable_variables))
    print(f"step {step}: loss {float(loss):.3f}")
'''),
    ]
