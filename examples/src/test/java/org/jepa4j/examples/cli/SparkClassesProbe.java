package org.jepa4j.examples.cli;

/**
 * A main for {@link SparkEngineTest}'s child JVM: runs the command line, prints {@link #MARK} and the exit code,
 * then loads one Spark class on purpose, so that the class-loading log shows where the command ended and that
 * Spark's classes do appear in it once loaded.
 */
final class SparkClassesProbe {

    static final String MARK = "=== jepa4j command done, exit ";

    private SparkClassesProbe() {
    }

    public static void main(String[] args) throws Exception {
        int code = Jepa4j.execute(args);
        System.out.println(MARK + code);
        System.out.flush();
        Class.forName("org.apache.spark.sql.SparkSession");
    }
}
