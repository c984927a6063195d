package org.jepa4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Starts the Spark session of an extraction with jepa4j's defaults: speculation off (a speculative copy of a task
 * would load a second encoder and write the same clips twice), and for a {@code local[*]} master the driver bound
 * to 127.0.0.1 (host names need not resolve to loopback) and no web UI (it adds start-up time and a port).
 * Settings already present (from {@code spark-submit --conf} or {@code spark-defaults.conf}) are kept.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    /**
     * Gets or creates the session.
     *
     * @param master the master URL ({@code local[2]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://...}),
     *     or null to take it from the configuration ({@code spark-submit --master}; {@code local[*]} when none)
     * @param appName the application name
     * @return the session
     */
    public static SparkSession start(String master, String appName) {
        SparkConf conf = new SparkConf(true);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.speculation", "false");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
