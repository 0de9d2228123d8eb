package org.salesledger.infra.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Fail closed at start: every controller method under {@code /api/} must have its row in the side's
 * {@link EndpointAccess} table (same method, same path with {@code *} for each path variable). A side with an
 * endpoint nobody gave a permission does not start, naming it. Catch-all mappings without a method (a stand-in
 * answering {@code 404}/{@code 503} for a feature turned off) need no row.
 */
final class EndpointAccessCheck implements SmartInitializingSingleton {

    private final ApplicationContext context;
    private final EndpointAccess access;

    EndpointAccessCheck(ApplicationContext context, EndpointAccess access) {
        this.context = context;
        this.access = access;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> missing = unlisted(context.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class), access);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("these endpoints have no permission in the side's Access table "
                    + "(EndpointAccess): " + missing);
        }
    }

    static List<String> unlisted(RequestMappingHandlerMapping mapping, EndpointAccess access) {
        Set<String> listed = new TreeSet<>();
        access.rules().forEach(rule -> listed.add(rule.method().name() + " " + rule.pattern()));
        List<String> missing = new ArrayList<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            if (methods.isEmpty()) {
                continue;
            }
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                String normalised = pattern.replaceAll("\\{[^}]+}", "*");
                for (RequestMethod method : methods) {
                    if (!listed.contains(method.name() + " " + normalised)) {
                        missing.add(method.name() + " " + pattern);
                    }
                }
            }
        }
        return missing;
    }
}
