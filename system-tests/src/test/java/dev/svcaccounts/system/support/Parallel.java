package dev.svcaccounts.system.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Requests sent at the same moment, to make them race. */
public final class Parallel {

    private Parallel() {
    }

    /**
     * Prepares {@code count} requests, then releases them together from {@code threads} threads; the responses
     * come back in request order.
     */
    public static List<Response> send(int threads, int count, IntFunction<Api.Request> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Api.Request prepared = request.apply(i);
                Callable<Response> call = () -> {
                    go.await();
                    return prepared.send();
                };
                futures.add(pool.submit(call));
            }
            go.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
