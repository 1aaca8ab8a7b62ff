package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the request log writes of a path. */
class RequestLogTest {
    @Test
    void the_secret_of_a_setup_link_is_not_logged() {
        assertThat(RequestLog.shown("/setup/LtXuVkN4fvBkBHYB8QFV9hfWNuBR7EHkKugRX5QRmmY")).isEqualTo("/setup/***");
        assertThat(RequestLog.shown("/users/12")).isEqualTo("/users/12");
    }

    @Test
    void times_are_written_in_tenths_of_a_millisecond() {
        assertThat(RequestLog.tenths(12.34f)).isEqualTo("12.3");
        assertThat(RequestLog.tenths(0.05f)).isEqualTo("0.1");
    }
}
