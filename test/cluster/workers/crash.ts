/** Test worker: throws while loading (an uncaught error: the pool sees an `error` event). */
throw new Error("crash at start");
