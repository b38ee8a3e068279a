"""TF1's `tf.image` namespace: decoding, resizing (bilinear, nearest, bicubic, area), flips, rotations and
transposes, crops and pads, color conversions and adjustments with their seeded random forms, boxes (crop and
resize, non-max suppression) and image differences."""
from .image_color import (adjust_contrast, adjust_gamma, adjust_hue, adjust_saturation, hsv_to_rgb,  # noqa: F401
                          random_contrast, random_hue, random_saturation, rgb_to_hsv, rgb_to_yiq, rgb_to_yuv,
                          yiq_to_rgb, yuv_to_rgb)
from .image_core import (ResizeMethod, adjust_brightness, adjust_jpeg_quality, central_crop,  # noqa: F401
                         convert_image_dtype, random_jpeg_quality,
                         flip_left_right, flip_up_down, grayscale_to_rgb, per_image_standardization,
                         random_brightness, random_crop, random_flip_left_right, random_flip_up_down, resize,
                         resize_images, rgb_to_grayscale, transpose, transpose_image)
from .image_geometry import (crop_and_resize, crop_to_bounding_box, image_gradients,  # noqa: F401
                             non_max_suppression, pad_to_bounding_box, psnr, resize_image_with_crop_or_pad,
                             resize_image_with_pad, resize_with_crop_or_pad, rot90, sobel_edges, ssim,
                             ssim_multiscale, total_variation)
from .ops.image import resize_area, resize_bicubic, resize_bilinear, resize_nearest_neighbor  # noqa: F401
from .ops.io import decode_jpeg, decode_png  # noqa: F401
from .ops.image_codecs import (decode_and_crop_jpeg, decode_bmp, decode_gif, decode_image, decode_jxl,  # noqa: F401
                               decode_webp, encode_jpeg, encode_png, extract_jpeg_shape, is_jpeg)
from .ops.boxes import draw_bounding_boxes, non_max_suppression_overlaps, non_max_suppression_with_scores  # noqa: F401,E501
from .ops.box_suppression import combined_non_max_suppression, non_max_suppression_padded  # noqa: F401
from .ops.crop_sampling import sample_distorted_bounding_box  # noqa: F401
from .ops.glimpse import extract_glimpse  # noqa: F401
from .ops.box_proposals import generate_bounding_box_proposals  # noqa: F401
from .ops.patches import extract_image_patches, extract_patches  # noqa: F401
