import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which vector instructions C2 emitted for each method: reads a {@code -XX:+PrintAssembly} log written without a
 * disassembler plugin (HotSpot then prints the machine code as hex; Debian's {@code libhsdis0-fcml} exports only the
 * old {@code decode_instructions} entry point, which JDK 25 no longer calls), disassembles each final C2 compile
 * (tier 4, not an on-stack replacement) with binutils' {@code objdump}, and prints the count of every {@code v*}
 * instruction per method.
 * <pre>
 * java -jar benchmarks.jar LowPrecisionDot -f 1 -wi 2 -i 1 \
 *     -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,*LowPrecisionDotBenchmark.*" > asm.txt
 * java benchmarks/tools/C2Instructions.java asm.txt LowPrecisionDotBenchmark
 * </pre>
 */
public class C2Instructions {
    private static final Pattern C2_COMPILE =
            Pattern.compile("^Compiled method \\(c2\\)\\s+\\d+\\s+\\d+\\s+(%?)\\s*4\\s+(\\S+)");
    private static final Pattern CODE_LINE = Pattern.compile("^\\s+0x[0-9a-f]+: ([0-9a-f| ]+)$");
    private static final Pattern MNEMONIC = Pattern.compile("\\t(v[a-z0-9]+)\\s");

    public static void main(String[] args) throws IOException, InterruptedException {
        String filter = args.length > 1 ? args[1] : "";
        String method = null;
        var code = new java.io.ByteArrayOutputStream();
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        lines.add("Compiled method (end)");
        for (String line : lines) {
            if (line.startsWith("Compiled method")) {
                if (method != null && method.contains(filter)) {
                    System.out.println(method + ": " + vectorInstructions(code.toByteArray()));
                }
                Matcher compile = C2_COMPILE.matcher(line);
                method = compile.find() && compile.group(1).isEmpty() ? compile.group(2) : null;
                code.reset();
            } else if (line.startsWith("[Stub Code]") || line.startsWith("[Exception Handler]")) {
                if (method != null && method.contains(filter)) {
                    System.out.println(method + ": " + vectorInstructions(code.toByteArray()));
                }
                method = null;
            } else if (method != null) {
                Matcher hex = CODE_LINE.matcher(line);
                if (hex.find()) {
                    for (String group : hex.group(1).replace("|", " ").trim().split("\\s+")) {
                        for (int i = 0; i + 1 < group.length(); i += 2) {
                            code.write(Integer.parseInt(group.substring(i, i + 2), 16));
                        }
                    }
                }
            }
        }
    }

    private static Map<String, Integer> vectorInstructions(byte[] machineCode) throws IOException, InterruptedException {
        Path file = Files.createTempFile("c2-", ".bin");
        try {
            Files.write(file, machineCode);
            Process objdump = new ProcessBuilder("objdump", "-D", "-b", "binary", "-mi386:x86-64", file.toString())
                    .redirectErrorStream(true).start();
            String listing = new String(objdump.getInputStream().readAllBytes());
            objdump.waitFor();
            Map<String, Integer> counts = new TreeMap<>();
            Matcher mnemonic = MNEMONIC.matcher(listing);
            while (mnemonic.find()) {
                counts.merge(mnemonic.group(1), 1, Integer::sum);
            }
            return counts;
        } finally {
            Files.delete(file);
        }
    }
}
