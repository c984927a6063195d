/** Benchmarks of the core models, as main classes that also return their figures for a CLI. */
package org.jepa4j.core.bench;
