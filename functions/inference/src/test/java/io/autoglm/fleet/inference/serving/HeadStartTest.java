package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.modelstore.ModelRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the server may take from a head start, with runners that answer their version instead of running a model. */
class HeadStartTest {

    private final AtomicInteger aliasTarget = new AtomicInteger(1);
    private final Map<Integer, ServedModelsTest.VersionRunner> runners = new ConcurrentHashMap<>();
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    private HeadStart<String> begin(String settings) {
        return HeadStart.begin(settings, List.of(ModelRef.parse("m")), ref -> aliasTarget.get(), observer -> (name, version) -> {
            if (version < 0) {
                throw new IllegalStateException("m@" + version + " failed verification");
            }
            ServedModelsTest.VersionRunner runner = new ServedModelsTest.VersionRunner(version);
            runners.put(version, runner);
            observer.engineSelected(name, version, ExecutionProvider.CPU, List.of());
            return LoadedVersion.start(ServedModelsTest.manifest(version), ExecutionProvider.CPU, runner, 1, observer);
        }, thread);
    }

    private final InferenceObserver server = new InferenceObserver() {
        @Override
        public void engineSelected(String model, int version, ExecutionProvider provider, List<String> fallbacks) {
            reports.add("engine " + model + "@" + version + " " + provider.wireName());
        }
    };

    @Test
    void theSameVersionWithTheSameSettingsIsTakenAndItsEarlierReportsReachTheServer() throws Exception {
        HeadStart<String> headStart = begin("settings");

        ServingVersion taken = headStart.take("settings", "m", 1, server).orElseThrow();

        assertThat(taken.version()).isEqualTo(1);
        assertThat(reports).containsExactly("engine m@1 cpu");
        assertThat(headStart.take("settings", "m", 1, server)).as("taken once").isEmpty();
        headStart.close();
        assertThat(runners.get(1).closed).as("what was taken is not closed with the head start").isFalse();
        taken.close();
    }

    @Test
    void differentSettingsTakeNothingAndWhatWasLoadedIsClosed() throws Exception {
        HeadStart<String> headStart = begin("settings read early");

        assertThat(headStart.take("settings the server runs with", "m", 1, server)).isEmpty();
        awaitClosed(1);
        assertThat(reports).isEmpty();
    }

    @Test
    void aVersionTheStoreNoLongerNamesIsClosedAndNotTaken() throws Exception {
        HeadStart<String> headStart = begin("settings");
        thread.submit(() -> null).get(10, TimeUnit.SECONDS); // the head start has loaded version 1
        aliasTarget.set(2);

        assertThat(headStart.take("settings", "m", 2, server)).isEmpty();
        awaitClosed(1);
    }

    @Test
    void aFailedHeadStartLeavesTheLoadToTheServer() {
        aliasTarget.set(-1);
        HeadStart<String> headStart = begin("settings");

        assertThat(headStart.take("settings", "m", -1, server)).isEmpty();
        assertThat(headStart.take("settings", "other", 1, server)).as("a model it did not load").isEmpty();
    }

    @Test
    void closingReleasesWhatNobodyTook() throws Exception {
        HeadStart<String> headStart = begin("settings");

        headStart.close();

        awaitClosed(1);
        assertThat(headStart.take("settings", "m", 1, server)).isEmpty();
    }

    private void awaitClosed(int version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && (runners.get(version) == null || !runners.get(version).closed.get())) {
            Thread.sleep(5);
        }
        assertThat(runners.get(version).closed).as("m@" + version + " closed").isTrue();
    }
}
