package org.salesledger.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** A side does not start with an /api/ endpoint that its Access table does not name. */
class EndpointAccessCheckTest {

    static class Handlers {
        public String answer() {
            return "";
        }
    }

    @Test
    void namesEveryApiEndpointWithoutARow_andLetsThroughCatchAllsAndNonApiPaths() throws Exception {
        RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
        Method answer = Handlers.class.getMethod("answer");
        Handlers handlers = new Handlers();
        mapping.registerMapping(RequestMappingInfo.paths("/api/v1/customers/{id}/timeline")
                .methods(RequestMethod.GET).build(), handlers, answer);
        mapping.registerMapping(RequestMappingInfo.paths("/api/v1/customers/{id}/timeline")
                .methods(RequestMethod.DELETE).build(), handlers, answer);
        mapping.registerMapping(RequestMappingInfo.paths("/api/v1/funnel").methods(RequestMethod.GET).build(),
                handlers, answer);
        mapping.registerMapping(RequestMappingInfo.paths("/api/v1/off/**").build(), handlers, answer);
        mapping.registerMapping(RequestMappingInfo.paths("/other").methods(RequestMethod.GET).build(), handlers,
                answer);
        EndpointAccess access = new EndpointAccess(List.of(
                EndpointAccess.rule(HttpMethod.GET, "/api/v1/customers/*/timeline", Permission.CUSTOMERS_READ)));

        assertThat(EndpointAccessCheck.unlisted(mapping, access))
                .containsExactlyInAnyOrder("DELETE /api/v1/customers/{id}/timeline", "GET /api/v1/funnel");
    }
}
