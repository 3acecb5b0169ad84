package dev.svcaccounts.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU and memory of the processes a phase involves, from Linux's {@code /proc}, sampled twice a second.
 *
 * <p>Each role (say "postgres") is a root process with all its descendants, so PostgreSQL's backends count
 * towards the postmaster. A process's CPU is its user + system time at the last sample minus the time it had at
 * the first sample (zero for processes born during the phase), so short-lived children are counted up to their
 * last sample. "Other processes" is what the whole machine was busy with ({@code /proc/stat}) minus every role:
 * the other people and programs sharing the machine, and the kernel. Resident memory (VmRSS) is the root
 * process's own, the highest sample.
 *
 * <p>For a root process that is a JVM, the share of its CPU its JIT compiler threads took is kept apart too
 * ({@code <role>_jit}): a JVM compiles for minutes after it starts, longer on a busy machine, so part of a phase's
 * CPU per request is warm-up, not what a request costs a process that has run for hours.
 */
final class ProcessSampler {

    private static final Path PROC = Path.of("/proc");
    private static final long SAMPLE_MILLIS = 500;
    /** The suffix of a role's JIT compiler share in the results. */
    static final String JIT = "_jit";

    record Usage(double seconds, int cpus, Map<String, Double> coresByRole, double machineCores,
                 double otherCores, Map<String, Long> maxRssKbByRole, Map<String, Double> jitCoresByRole) {

        void writeTo(Results results, String phase) {
            results.put("cpu." + phase + ".seconds", seconds);
            results.put("cpu." + phase + ".cpus", cpus);
            coresByRole.forEach((role, cores) -> results.put("cpu." + phase + "." + role, cores));
            jitCoresByRole.forEach((role, cores) -> results.put("cpu." + phase + "." + role + JIT, cores));
            results.put("cpu." + phase + ".machine", machineCores);
            results.put("cpu." + phase + ".other", otherCores);
            maxRssKbByRole.forEach((role, kb) -> results.put("rss." + phase + "." + role + "_mb", kb / 1024.0));
        }
    }

    /** A process at one moment: {@code key} tells a reused pid apart by its start time. */
    record ProcessStat(long pid, long parent, String key, long cpuTicks) {
    }

    private final Map<String, Long> roots;
    private final long ticksPerSecond;
    private final Map<String, Long> baselineTicks = new HashMap<>(); // process key -> ticks at its first sample
    private final Map<String, Long> lastTicks = new HashMap<>();
    private final Map<String, Set<String>> processesByRole = new LinkedHashMap<>();
    private final Map<String, Long> maxRssKb = new LinkedHashMap<>();
    /** Per role, its root's JIT compiler threads as they were last seen (thread key -> ticks) and at first sight. */
    private final Map<String, Map<String, Long>> jitLastTicks = new LinkedHashMap<>();
    private final Map<String, Long> jitBaselineTicks = new HashMap<>();
    /** "pid/tid" of every thread looked at once: whether it is a JIT compiler thread (its name does not change). */
    private final Map<String, Boolean> compilerThreads = new HashMap<>();
    private long[] machineStart;
    private long[] machineLast;
    private long startNanos;
    private long lastNanos;
    private Thread thread;
    private volatile boolean running;

    /** {@code roots}: role to the pid of its root process; {@code ticksPerSecond}: {@code getconf CLK_TCK}. */
    ProcessSampler(Map<String, Long> roots, long ticksPerSecond) {
        this.roots = new LinkedHashMap<>(roots);
        this.ticksPerSecond = ticksPerSecond;
        roots.keySet().forEach(role -> processesByRole.put(role, new HashSet<>()));
    }

    synchronized ProcessSampler start() {
        startNanos = System.nanoTime();
        machineStart = machineTicks();
        sample(true);
        running = true;
        thread = new Thread(this::loop, "process-sampler");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    Usage stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            sample(false);
            return usage();
        }
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (running) {
                    sample(false);
                }
            }
        }
    }

    private void sample(boolean first) {
        lastNanos = System.nanoTime();
        machineLast = machineTicks();
        Map<Long, ProcessStat> all = processes();
        Map<Long, List<ProcessStat>> children = new HashMap<>();
        all.values().forEach(p -> children.computeIfAbsent(p.parent(), k -> new ArrayList<>()).add(p));
        roots.forEach((role, rootPid) -> {
            ProcessStat root = all.get(rootPid);
            if (root == null) {
                return; // gone (or not started yet): its last sample stands
            }
            List<ProcessStat> tree = new ArrayList<>();
            collect(root, children, tree);
            for (ProcessStat p : tree) {
                baselineTicks.putIfAbsent(p.key(), first ? p.cpuTicks() : 0L);
                lastTicks.put(p.key(), p.cpuTicks());
                processesByRole.get(role).add(p.key());
            }
            long rss = residentKb(rootPid);
            maxRssKb.merge(role, rss, Math::max);
            for (ProcessStat thread : compilerThreads(rootPid)) {
                jitBaselineTicks.putIfAbsent(thread.key(), first ? thread.cpuTicks() : 0L);
                jitLastTicks.computeIfAbsent(role, r -> new HashMap<>()).put(thread.key(), thread.cpuTicks());
            }
        });
    }

    /** The JIT compiler threads of a process (HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1"...). */
    private List<ProcessStat> compilerThreads(long pid) {
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        List<ProcessStat> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(tasks)) {
            entries.forEach(task -> {
                try {
                    boolean compiler = compilerThreads.computeIfAbsent(pid + "/" + task.getFileName(),
                            k -> isCompilerThread(readName(task)));
                    if (compiler) {
                        found.add(parseStat(Files.readString(task.resolve("stat"))));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked
                }
            });
        } catch (IOException e) {
            // the process ended while we looked
        }
        return found;
    }

    private static String readName(Path task) {
        try {
            return Files.readString(task.resolve("comm")).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Linux keeps 15 characters of a thread's name: "C2 CompilerThre". */
    static boolean isCompilerThread(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    private static void collect(ProcessStat p, Map<Long, List<ProcessStat>> children, List<ProcessStat> into) {
        into.add(p);
        for (ProcessStat child : children.getOrDefault(p.pid(), List.of())) {
            collect(child, children, into);
        }
    }

    private Usage usage() {
        double seconds = (lastNanos - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        double ours = 0;
        for (Map.Entry<String, Set<String>> role : processesByRole.entrySet()) {
            long ticks = 0;
            for (String key : role.getValue()) {
                ticks += lastTicks.get(key) - baselineTicks.get(key);
            }
            double c = seconds > 0 ? ticks / (double) ticksPerSecond / seconds : 0;
            cores.put(role.getKey(), c);
            ours += c;
        }
        Map<String, Double> jit = new LinkedHashMap<>();
        jitLastTicks.forEach((role, threads) -> {
            long ticks = 0;
            for (Map.Entry<String, Long> thread : threads.entrySet()) {
                ticks += thread.getValue() - jitBaselineTicks.get(thread.getKey());
            }
            jit.put(role, seconds > 0 ? ticks / (double) ticksPerSecond / seconds : 0);
        });
        long busy = machineLast[0] - machineStart[0];
        double machine = seconds > 0 ? busy / (double) ticksPerSecond / seconds : 0;
        return new Usage(seconds, (int) machineLast[1], cores, machine, Math.max(0, machine - ours), maxRssKb,
                jit);
    }

    /** Busy ticks of the whole machine (everything but idle and iowait) and the number of CPUs. */
    static long[] machineTicks() {
        try {
            List<String> lines = Files.readAllLines(PROC.resolve("stat"), StandardCharsets.US_ASCII);
            return new long[] {busyTicks(lines.get(0)),
                    lines.stream().filter(l -> l.matches("cpu\\d+ .*")).count()};
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat: this benchmark needs Linux", e);
        }
    }

    /** The busy ticks of {@code /proc/stat}'s "cpu" line: user nice system idle iowait irq softirq steal ... */
    static long busyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            if (i != 4 && i != 5) { // idle, iowait
                busy += Long.parseLong(f[i]);
            }
        }
        return busy; // guest time is already part of user time
    }

    private static Map<Long, ProcessStat> processes() {
        Map<Long, ProcessStat> all = new HashMap<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .forEach(pid -> {
                        try {
                            ProcessStat stat = parseStat(Files.readString(PROC.resolve(pid).resolve("stat")));
                            all.put(stat.pid(), stat);
                        } catch (IOException | RuntimeException e) {
                            // the process ended while we looked
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: this benchmark needs Linux", e);
        }
        return all;
    }

    /**
     * One line of {@code /proc/PID/stat}. The command name (field 2) may hold spaces and parentheses, so fields
     * are counted from its last ')': state is field 3, ppid 4, utime 14, stime 15, starttime 22.
     */
    static ProcessStat parseStat(String line) {
        long pid = Long.parseLong(line.substring(0, line.indexOf(' ')));
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        long parent = Long.parseLong(f[4 - 3]);
        long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
        return new ProcessStat(pid, parent, pid + "@" + f[22 - 3], ticks);
    }

    private static long residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
