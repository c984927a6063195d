package org.jepa4j.core.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed, fully validated header of a safetensors file: tensors in file-layout order and the metadata.
 * Validation follows the Rust reference implementation: the header must be a JSON object, every dtype known,
 * every byte count equal to {@code product(shape) * dtype size}, and the tensors must tile the data section exactly
 * (no gap, no overlap, nothing left over).
 */
final class SafeTensorsHeader {

    /** Largest header accepted, as in the Rust implementation; guards against allocating a lying length. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    final List<TensorInfo> tensors;
    final Map<String, String> metadata;
    /** Absolute file position of the data section. */
    final long dataStart;

    private SafeTensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
        this.tensors = tensors;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    /** Reads and validates the header of an open file. */
    static SafeTensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafeTensorsException(file, "file is " + fileSize
                    + " bytes, shorter than the 8-byte header length field");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lenBuf, 0);
        long headerLen = lenBuf.getLong(0); // unsigned in the format: a negative long means >= 2^63
        if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(file, "header length " + Long.toUnsignedString(headerLen)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLen > fileSize - 8) {
            throw new SafeTensorsException(file, "header length " + headerLen + " goes beyond the end of the file ("
                    + fileSize + " bytes, so at most " + (fileSize - 8) + " header bytes)");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(file, channel, headerBuf, 8);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBuf.flip())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, "header is not valid UTF-8", e);
        }
        if (!json.startsWith("{")) {
            throw new SafeTensorsException(file, "header does not start with '{' (not a JSON object)");
        }
        long dataStart = 8 + headerLen;
        long dataLen = fileSize - dataStart;
        List<TensorInfo> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try {
            parseJson(file, json, tensors, metadata);
        } catch (SafeTensorsException e) {
            throw e;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new SafeTensorsException(file, "header is not valid safetensors JSON: " + describe(e), e);
        }
        checkLayout(file, tensors, dataLen);
        return new SafeTensorsHeader(Collections.unmodifiableList(tensors), Collections.unmodifiableMap(metadata),
                dataStart);
    }

    private static void parseJson(Path file, String json, List<TensorInfo> tensors, Map<String, String> metadata)
            throws IOException {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        Map<String, Boolean> seen = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            if (seen.put(name, Boolean.TRUE) != null) {
                throw new SafeTensorsException(file, "duplicate key '" + name + "' in header");
            }
            if (METADATA_KEY.equals(name)) {
                parseMetadata(file, reader, metadata);
            } else {
                tensors.add(parseTensor(file, name, reader));
            }
        }
        reader.endObject();
        boolean trailing;
        try {
            trailing = reader.peek() != JsonToken.END_DOCUMENT;
        } catch (MalformedJsonException e) {
            trailing = true;
        }
        if (trailing) {
            throw new SafeTensorsException(file, "header has content after its JSON object");
        }
    }

    private static void parseMetadata(Path file, JsonReader reader, Map<String, String> metadata)
            throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new SafeTensorsException(file, "'" + METADATA_KEY + "' must be an object of strings, found "
                    + reader.peek());
        }
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            if (reader.peek() != JsonToken.STRING) {
                throw new SafeTensorsException(file, "metadata value of '" + key + "' must be a string, found "
                        + reader.peek());
            }
            if (metadata.put(key, reader.nextString()) != null) {
                throw new SafeTensorsException(file, "duplicate metadata key '" + key + "'");
            }
        }
        reader.endObject();
    }

    private static TensorInfo parseTensor(Path file, String name, JsonReader reader) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new SafeTensorsException(file, "entry of tensor '" + name + "' must be an object, found "
                    + reader.peek());
        }
        DType dtype = null;
        long[] shape = null;
        long[] offsets = null;
        reader.beginObject();
        while (reader.hasNext()) {
            String field = reader.nextName();
            switch (field) {
                case "dtype":
                    if (reader.peek() != JsonToken.STRING) {
                        throw new SafeTensorsException(file, "dtype of tensor '" + name + "' must be a string");
                    }
                    String d = reader.nextString();
                    dtype = DType.parse(d);
                    if (dtype == null) {
                        throw new SafeTensorsException(file, "unknown dtype '" + d + "' of tensor '" + name
                                + "' (known: " + Arrays.toString(DType.values()) + ")");
                    }
                    break;
                case "shape":
                    shape = readLongArray(file, name, field, reader);
                    break;
                case "data_offsets":
                    offsets = readLongArray(file, name, field, reader);
                    break;
                default:
                    reader.skipValue(); // unknown fields are ignored, as serde does by default
            }
        }
        reader.endObject();
        if (dtype == null || shape == null || offsets == null) {
            throw new SafeTensorsException(file, "tensor '" + name + "' lacks "
                    + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        if (offsets.length != 2) {
            throw new SafeTensorsException(file, "data_offsets of tensor '" + name + "' must have 2 entries, has "
                    + offsets.length);
        }
        if (offsets[1] < offsets[0]) {
            throw new SafeTensorsException(file, "data_offsets of tensor '" + name + "' end before they begin: "
                    + Arrays.toString(offsets));
        }
        long expected;
        try {
            long n = 1;
            for (long dim : shape) {
                n = Math.multiplyExact(n, dim);
            }
            expected = Math.multiplyExact(n, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(file, "shape " + Arrays.toString(shape) + " of tensor '" + name
                    + "' overflows 64 bits");
        }
        if (offsets[1] - offsets[0] != expected) {
            throw new SafeTensorsException(file, "tensor '" + name + "' claims " + (offsets[1] - offsets[0])
                    + " bytes " + Arrays.toString(offsets) + " but shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] readLongArray(Path file, String name, String field, JsonReader reader)
            throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw new SafeTensorsException(file, field + " of tensor '" + name + "' must be an array, found "
                    + reader.peek());
        }
        List<Long> values = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            if (reader.peek() != JsonToken.NUMBER) {
                throw new SafeTensorsException(file, field + " of tensor '" + name + "' must hold integers, found "
                        + reader.peek());
            }
            String text = reader.nextString();
            long v;
            try {
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new SafeTensorsException(file, field + " of tensor '" + name + "' holds '" + text
                        + "', not a 64-bit integer");
            }
            if (v < 0) {
                throw new SafeTensorsException(file, field + " of tensor '" + name + "' holds negative " + v);
            }
            values.add(v);
        }
        reader.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** Gson's message without its advice to parse leniently. */
    private static String describe(Exception e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf(" at line ");
        if (e instanceof MalformedJsonException && at >= 0) {
            int end = m.indexOf('\n', at);
            return "malformed JSON" + (end < 0 ? m.substring(at) : m.substring(at, end));
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Tensors, sorted by offset, must tile [0, dataLen) exactly. */
    private static void checkLayout(Path file, List<TensorInfo> tensors, long dataLen) throws IOException {
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long cursor = 0;
        TensorInfo previous = null;
        for (TensorInfo t : tensors) {
            if (t.end() > dataLen) {
                throw new SafeTensorsException(file, "tensor '" + t.name() + "' data_offsets [" + t.begin() + ", "
                        + t.end() + ") go beyond the data section of " + dataLen + " bytes (file truncated?)");
            }
            if (t.begin() < cursor) {
                throw new SafeTensorsException(file, "tensor '" + t.name() + "' [" + t.begin() + ", " + t.end()
                        + ") overlaps tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end()
                        + ")");
            }
            if (t.begin() > cursor) {
                throw new SafeTensorsException(file, "gap of " + (t.begin() - cursor) + " bytes before tensor '"
                        + t.name() + "' at offset " + t.begin() + " (tensors must be contiguous)");
            }
            cursor = t.end();
            previous = t;
        }
        if (cursor != dataLen) {
            throw new SafeTensorsException(file, "data section is " + dataLen + " bytes but the tensors cover only "
                    + cursor + " (trailing bytes or a lying header)");
        }
    }

    /** Positional read of exactly {@code buf.remaining()} bytes. */
    static void readFully(Path file, FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new SafeTensorsException(file, "unexpected end of file at byte " + pos
                        + " (file changed or truncated after opening?)");
            }
            pos += n;
        }
    }
}
