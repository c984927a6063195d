package org.jepa4j.core.io;

import ai.djl.ndarray.types.DataType;

/**
 * Element types of the safetensors format, with their size in bytes and the DJL type a tensor of that type is loaded
 * as. F16 and BF16 load as FLOAT32 (widened in Java); types DJL cannot hold have no DJL type and cannot be loaded as
 * NDArrays, but are still accepted in a file's header (so one exotic tensor does not make the whole file unreadable).
 */
public enum DType {
    /** Boolean, one byte. */
    BOOL(1, DataType.BOOLEAN),
    /** Unsigned 8-bit integer. */
    U8(1, DataType.UINT8),
    /** Signed 8-bit integer. */
    I8(1, DataType.INT8),
    /** Signed 16-bit integer (not loadable as an NDArray). */
    I16(2, null),
    /** Unsigned 16-bit integer (not loadable as an NDArray). */
    U16(2, null),
    /** Signed 32-bit integer. */
    I32(4, DataType.INT32),
    /** Unsigned 32-bit integer (not loadable as an NDArray). */
    U32(4, null),
    /** Signed 64-bit integer. */
    I64(8, DataType.INT64),
    /** Unsigned 64-bit integer (not loadable as an NDArray). */
    U64(8, null),
    /** IEEE half precision; loaded as FLOAT32. */
    F16(2, DataType.FLOAT32),
    /** bfloat16; loaded as FLOAT32 (DJL must never see a BFLOAT16 tensor). */
    BF16(2, DataType.FLOAT32),
    /** IEEE single precision. */
    F32(4, DataType.FLOAT32),
    /** IEEE double precision. */
    F64(8, DataType.FLOAT64),
    /** 8-bit float e4m3 (not loadable). */
    F8_E4M3(1, null),
    /** 8-bit float e5m2 (not loadable). */
    F8_E5M2(1, null);

    private final int byteSize;
    private final DataType loadedAs;

    DType(int byteSize, DataType loadedAs) {
        this.byteSize = byteSize;
        this.loadedAs = loadedAs;
    }

    /**
     * Size of one element in the file.
     *
     * @return bytes per element
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * The DJL data type a tensor of this type becomes when loaded.
     *
     * @return the DJL type, or {@code null} if this type cannot be loaded as an NDArray
     */
    public DataType loadedAs() {
        return loadedAs;
    }

    /**
     * Whether this is a floating-point type (readable with {@code readFloats}).
     *
     * @return true for F16, BF16, F32, F64
     */
    public boolean isFloating() {
        return this == F16 || this == BF16 || this == F32 || this == F64;
    }

    /**
     * Whether this is an integer or boolean type readable with {@code readLongs}.
     *
     * @return true for BOOL, U8, I8, I16, U16, I32, U32, I64
     */
    public boolean isIntegral() {
        return this == BOOL || this == U8 || this == I8 || this == I16 || this == U16 || this == I32
                || this == U32 || this == I64;
    }

    /**
     * The safetensors type of a DJL array type, for writing.
     *
     * @param type a DJL data type
     * @return the safetensors type
     * @throws IllegalArgumentException for BFLOAT16 (never held by DJL here) and types safetensors has no name for
     */
    public static DType fromDjl(DataType type) {
        switch (type) {
            case FLOAT32: return F32;
            case FLOAT16: return F16;
            case FLOAT64: return F64;
            case INT64: return I64;
            case INT32: return I32;
            case INT8: return I8;
            case UINT8: return U8;
            case BOOLEAN: return BOOL;
            default:
                throw new IllegalArgumentException("DJL data type " + type + " cannot be written to safetensors");
        }
    }

    /**
     * Parses the dtype string of a header.
     *
     * @param name the string, e.g. {@code "F32"}
     * @return the type, or {@code null} if the string names no known type
     */
    static DType parse(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
