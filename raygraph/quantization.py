"""tf.quantization: the quantize family and fake quantization."""
from .ops.quantize import (fake_quant_with_min_max_args, fake_quant_with_min_max_args_gradient,  # noqa: F401
                           fake_quant_with_min_max_vars, fake_quant_with_min_max_vars_gradient,
                           fake_quant_with_min_max_vars_per_channel, fake_quant_with_min_max_vars_per_channel_gradient)
from .ops.quantized import (dequantize, quantize, quantize_and_dequantize, quantize_and_dequantize_v2,  # noqa: F401
                            quantized_concat)
