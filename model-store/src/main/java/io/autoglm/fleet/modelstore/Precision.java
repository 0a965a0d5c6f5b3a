package io.autoglm.fleet.modelstore;

/** Numeric precision of a model's weights: what an engine must support and what accuracy to expect. */
public enum Precision {
    FP32,
    FP16,
    INT8
}
