package registry.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;
import registry.support.Chrome;
import registry.support.TestServer;

/**
 * {@code /api/docs} in a real browser, signed out (it is public): Swagger UI, served by the app,
 * lists the operations of the document, under the app's strict Content-Security-Policy (a
 * violation is a console error) and without asking any other host.
 */
@Tag("sqlite-only")
@Tag("slow")
class ApiDocsBrowserTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void the_docs_page_lists_the_operations_with_no_script_from_elsewhere_and_no_csp_violation() {
        try (Chrome chrome = Chrome.open(server.base)) {
            chrome.go("/api/docs");
            chrome.wait(Duration.ofSeconds(20))
                    .until(d -> d.findElements(By.cssSelector(".opblock")).size() > 20);

            List<String> paths = chrome.all(".opblock-summary-path").stream().map(WebElement::getText).toList();
            assertThat(paths).contains("/api/movies/{id}", "/api/people/{id}/credits", "/api/changes", "/api/users/import");
            assertThat(chrome.text()).contains("Registry")
                    .as("Swagger UI's warning about a schema dialect it does not support").doesNotContain("jsonSchemaDialect");
            List<String> errors = chrome.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).map(Object::toString).toList();
            assertThat(errors).as("console errors (a CSP violation is one)").isEmpty();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> resources = (List<Map<String, Object>>) ((JavascriptExecutor) chrome.driver).executeScript(
                    "return performance.getEntriesByType('resource').map(e => ({name: e.name, status: e.responseStatus}))");
            assertThat(resources).isNotEmpty().allSatisfy(r -> assertThat(String.valueOf(r.get("name"))).matches(u -> u.startsWith(server.base)
                    || u.startsWith("data:"), "is on this host"));
        }
    }
}
