/** Test worker: dies without an error event (as an out-of-memory kill or a stray process.exit would). */
process.exit(3);
