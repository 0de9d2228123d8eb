import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads every Surefire and Failsafe report under the given directory (the build's {@code target/…-reports/TEST-*.xml})
 * and prints how many tests ran, failed and were skipped; exits 1 when a test was skipped that the allowed list
 * ({@code .ci/allowed-skips.txt}: one {@code Class#method} or {@code Class#*} a line, its reason after it) does not name,
 * when a test failed, or when no test ran at all. Run with the JDK's single-file launcher:
 * {@code java .ci/TestReport.java . .ci/allowed-skips.txt}.
 */
public class TestReport {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Set<String> allowed = allowed(Path.of(args[1]));
        List<Path> reports;
        try (Stream<Path> files = Files.walk(root)) {
            reports = files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml"))
                    .filter(p -> p.getParent().getFileName().toString().matches("(surefire|failsafe)-reports"))
                    .sorted().toList();
        }
        long passed = 0;
        long failed = 0;
        Set<String> skipped = new TreeSet<>();
        var factory = DocumentBuilderFactory.newInstance();
        for (Path report : reports) {
            Element suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
            NodeList cases = suite.getElementsByTagName("testcase");
            if (cases.getLength() == 0) {
                // a class whose @BeforeAll assumption failed: Surefire reports it with no test at all
                skipped.add(suite.getAttribute("name") + "#*");
            }
            for (int i = 0; i < cases.getLength(); i++) {
                Element test = (Element) cases.item(i);
                String name = test.getAttribute("classname") + "#" + test.getAttribute("name");
                if (test.getElementsByTagName("skipped").getLength() > 0) {
                    skipped.add(name);
                } else if (test.getElementsByTagName("failure").getLength() > 0
                        || test.getElementsByTagName("error").getLength() > 0) {
                    failed++;
                } else {
                    passed++;
                }
            }
        }
        List<String> unlisted = new ArrayList<>();
        for (String name : skipped) {
            String className = name.substring(0, name.indexOf('#'));
            boolean listed = allowed.contains(name) || allowed.contains(className + "#*");
            System.out.println((listed ? "skipped (allowed): " : "skipped, NOT ALLOWED: ") + name);
            if (!listed) {
                unlisted.add(name);
            }
        }
        System.out.println("reports read: " + reports.size());
        System.out.println("tests: " + passed + " passed, " + failed + " failed, " + skipped.size() + " skipped");
        if (passed == 0) {
            System.out.println("no test ran");
            System.exit(1);
        }
        if (failed > 0 || !unlisted.isEmpty()) {
            System.out.println(unlisted.size() + " skipped test(s) not on " + args[1]
                    + ": a test that skips itself hides what it should show; fix the cause or list it with a reason");
            System.exit(1);
        }
    }

    private static Set<String> allowed(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            String entry = line.strip();
            if (!entry.isEmpty() && !entry.startsWith("#")) {
                names.add(entry.split("\\s+")[0]);
            }
        }
        return names;
    }
}
