"""tf.image.sample_distorted_bounding_box's run-time errors carry TF's messages (seen running TF 2.21's kernel;
tests/tf_recorded/cases_image_sdbb.py compares the crops and error classes with TF's)."""
import numpy as np
import pytest

BOX = np.array([[[0.1, 0.2, 0.5, 0.9]]], np.float32)


@pytest.mark.parametrize("kwargs,boxes,message", [
    ({"area_range": (0.0, 1.0)}, BOX, "Area range must be non-negative: [0, 1]"),
    ({"area_range": (0.1, 1.5)}, BOX, "Area range must be less then or equal to 1.0: [0.1, 1.5]"),
    ({"aspect_ratio_range": (-1.0, 1.0)}, BOX, "Aspect ratio range must be non-negative: [-1, 1]"),
    ({"max_attempts": 0}, BOX, "Max attempts must be non-negative: 0"),
    ({"min_object_covered": -0.5}, BOX, "Min object covered must be non-negative: -0.5"),
    ({}, np.array([[[0.1, 0.2, 1.5, 0.9]]], np.float32), "All bounding box coordinates must be in [0.0, 1.0]: 1.5"),
    ({}, np.zeros([1, 0, 4], np.float32), "No bounding boxes provided as input. One must enable "
     "use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes."),
    ({}, BOX[:, :, :3], "bounding boxes must have shape [4] or [*, 4], got [1,1,3]"),
])
def test_run_time_errors_carry_tf_messages(rtf, kwargs, boxes, message):
    tf = rtf
    fed = tf.placeholder(tf.float32)
    crop = tf.image.sample_distorted_bounding_box([40, 40, 3], fed, seed=1, **kwargs)
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError) as e:
        s.run(crop, {fed: boxes})
    assert message in str(e.value)
