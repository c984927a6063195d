package org.jepa4j.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jepa4j.train.features.ClipFeatures;
import org.jepa4j.train.features.FeatureRecord;

/**
 * The row layouts of the Spark extraction: its input (one row per sample), its Parquet output (one row per clip,
 * or one row per unreadable file) and the small per-clip rows of the file layout.
 *
 * <h2>Parquet schema ({@link #PARQUET})</h2>
 * <table>
 *   <caption>one row per clip (segment x view) of a readable sample; one row per unreadable sample</caption>
 *   <tr><th>column</th><th>type</th><th>holds</th></tr>
 *   <tr><td>sample</td><td>int</td><td>position of the sample in the source (as {@code index.csv}); -1 for a file
 *       the folder scan left out (its name says media, its content does not)</td></tr>
 *   <tr><td>path</td><td>string</td><td>the media file</td></tr>
 *   <tr><td>label</td><td>int</td><td>label id (-1 with sample -1)</td></tr>
 *   <tr><td>label_name</td><td>string</td><td>label name, or empty</td></tr>
 *   <tr><td>segment</td><td>int</td><td>temporal segment from 0 (null on an error row)</td></tr>
 *   <tr><td>view</td><td>int</td><td>spatial view from 0 (null on an error row)</td></tr>
 *   <tr><td>pooled</td><td>array&lt;float&gt;</td><td>mean of the tokens, {@code [D]} (null with --no-pooled or on
 *       an error row)</td></tr>
 *   <tr><td>tokens</td><td>binary</td><td>token features {@code [N, D]} as little-endian float32, row-major (null
 *       with --no-tokens or on an error row)</td></tr>
 *   <tr><td>tokens_shape</td><td>array&lt;int&gt;</td><td>{@code [N, D]} (null when there are no tokens)</td></tr>
 *   <tr><td>encoder</td><td>string</td><td>the encoder's description (where its weights came from)</td></tr>
 *   <tr><td>error</td><td>string</td><td>null, or why the file could not be decoded</td></tr>
 * </table>
 *
 * <p>Tokens are one binary value, not an {@code array<float>}: a clip of a ViT-L at 16 frames holds 1.6 million
 * floats, which Spark and Parquet store and read far faster as one byte string (no per-element null flags or
 * repetition levels), and which NumPy reads without a copy: {@code np.frombuffer(row.tokens, '<f4')
 * .reshape(row.tokens_shape)}. Pooled features are small and stay an {@code array<float>}, usable in SQL.
 */
public final class FeatureRows {

    /** The job's input: one row per sample still to encode. */
    public static final StructType INPUT = new StructType(new StructField[] {
        DataTypes.createStructField("sample", DataTypes.IntegerType, false),
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.IntegerType, false),
        DataTypes.createStructField("label_name", DataTypes.StringType, false)});

    /** The Parquet output: one row per clip, or per unreadable file (see the class comment). */
    public static final StructType PARQUET = clipRow(
        DataTypes.createStructField("pooled", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        DataTypes.createStructField("tokens", DataTypes.BinaryType, true),
        DataTypes.createStructField("tokens_shape", DataTypes.createArrayType(DataTypes.IntegerType, false), true),
        DataTypes.createStructField("encoder", DataTypes.StringType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true));

    /** The file layout's per-clip rows, collected by the driver into {@code index.csv} and {@code bad_files.csv}. */
    public static final StructType FILES = clipRow(
        DataTypes.createStructField("safetensors", DataTypes.StringType, true),
        DataTypes.createStructField("tokens_npy", DataTypes.StringType, true),
        DataTypes.createStructField("pooled_npy", DataTypes.StringType, true),
        DataTypes.createStructField("error", DataTypes.StringType, true));

    private FeatureRows() {
    }

    /** A clip row: the {@link #INPUT} columns, the segment and view (null on an error row), then {@code rest}. */
    private static StructType clipRow(StructField... rest) {
        StructType row = INPUT.add(DataTypes.createStructField("segment", DataTypes.IntegerType, true))
                .add(DataTypes.createStructField("view", DataTypes.IntegerType, true));
        for (StructField f : rest) {
            row = row.add(f);
        }
        return row;
    }

    /** An input row. */
    static Row input(int sample, String path, int label, String labelName) {
        return RowFactory.create(sample, path, label, labelName);
    }

    /** A Parquet row of one clip; {@code in} is the sample's input row. */
    static Row parquetClip(Row in, ClipFeatures clip, String encoder) {
        byte[] tokens = null;
        int[] shape = null;
        if (clip.tokens() != null) {
            ByteBuffer b = ByteBuffer.allocate(clip.tokens().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(clip.tokens());
            tokens = b.array();
            shape = new int[] {clip.numTokens(), clip.width()};
        }
        return RowFactory.create(in.getInt(0), in.getString(1), in.getInt(2), in.getString(3), clip.segment(),
                clip.view(), clip.pooled(), tokens, shape, encoder, null);
    }

    /** A Parquet row of an unreadable sample. */
    static Row parquetError(Row in, String encoder, String reason) {
        return RowFactory.create(in.getInt(0), in.getString(1), in.getInt(2), in.getString(3), null, null, null, null,
                null, encoder, reason);
    }

    /** A file-layout row of one clip written as {@code rec} names it. */
    static Row fileClip(Row in, FeatureRecord rec) {
        return RowFactory.create(in.getInt(0), in.getString(1), in.getInt(2), in.getString(3), rec.segment(),
                rec.view(), rec.safetensors(), rec.tokensNpy(), rec.pooledNpy(), null);
    }

    /** A file-layout row of an unreadable sample. */
    static Row fileError(Row in, String reason) {
        return RowFactory.create(in.getInt(0), in.getString(1), in.getInt(2), in.getString(3), null, null, null, null,
                null, reason);
    }

    /**
     * Decodes a Parquet {@code tokens} value.
     *
     * @param tokens little-endian float32 bytes
     * @return the floats, row-major {@code [N, D]}
     */
    public static float[] tokens(byte[] tokens) {
        float[] out = new float[tokens.length / Float.BYTES];
        ByteBuffer.wrap(tokens).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
