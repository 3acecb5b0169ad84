package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessSamplerTest {

    @Test
    void readsParentAndCpuTimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String line = "4242 (java (main) x) S 4200 4242 4200 0 -1 4194560 100 0 0 0 1500 250 7 3 20 0 40 0 987654"
                + " 9000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        ProcessSampler.ProcessStat stat = ProcessSampler.parseStat(line);
        assertThat(stat.pid()).isEqualTo(4242);
        assertThat(stat.parent()).isEqualTo(4200);
        assertThat(stat.cpuTicks()).isEqualTo(1750); // utime + stime, not the children's cutime/cstime
        assertThat(stat.key()).isEqualTo("4242@987654");
    }

    @Test
    void machineBusyTimeLeavesOutIdleAndWaitingForDisk() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(ProcessSampler.busyTicks("cpu  100 2 30 5000 400 5 6 7 50 0")).isEqualTo(100 + 2 + 30 + 5 + 6 + 7);
    }

    @Test
    void seesItsOwnProcess() throws Exception {
        long self = ProcessHandle.current().pid();
        ProcessSampler sampler = new ProcessSampler(Map.of("me", self), 100).start();
        long until = System.nanoTime() + 300_000_000L;
        double spin = 0;
        while (System.nanoTime() < until) {
            spin += Math.sqrt(spin + 1); // keep a core busy
        }
        ProcessSampler.Usage usage = sampler.stop();
        assertThat(spin).isPositive();
        assertThat(usage.coresByRole().get("me")).isPositive(); // how much depends on the machine's other load
        assertThat(usage.maxRssKbByRole().get("me")).isPositive();
    }

    @Test
    void keepsAJvmsJitCompilerThreadsApart_andFindsNoneInAProcessThatIsNotAJvm() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessSampler sampler = new ProcessSampler(
                    Map.of("me", ProcessHandle.current().pid(), "sleeper", sleeper.pid()), 100).start();
            Thread.sleep(600);
            ProcessSampler.Usage usage = sampler.stop();
            assertThat(usage.jitCoresByRole()).containsKey("me").doesNotContainKey("sleeper");
            assertThat(usage.jitCoresByRole().get("me")).isBetween(0.0, usage.coresByRole().get("me"));
        } finally {
            sleeper.destroy();
        }
    }

    @Test
    void tellsCompilerThreadsByTheNameLinuxKeeps() {
        assertThat(ProcessSampler.isCompilerThread("C2 CompilerThre")).isTrue();
        assertThat(ProcessSampler.isCompilerThread("C1 CompilerThre")).isTrue();
        assertThat(ProcessSampler.isCompilerThread("http-nio-8080-e")).isFalse();
        assertThat(ProcessSampler.isCompilerThread("GC Thread#0")).isFalse();
    }
}
