package org.salesledger.command.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.Test;
import org.salesledger.command.customer.CustomerCommand;
import org.salesledger.command.customer.FireTimers;
import org.salesledger.command.customer.PlanTimers;
import org.springframework.context.annotation.Bean;

/**
 * The customer a command is for is asked of the command, and the answer is the one Axon's annotation resolver gives
 * by reflection: every customer command's {@code customerId} is its {@code @TargetAggregateIdentifier}, none carries
 * an expected version, and the aggregate is configured to use it.
 */
class CustomerTargetsTest {

    private static final CommandTargetResolver AXONS = AnnotationCommandTargetResolver.builder().build();

    @Test
    void everyCustomerCommandsIdIsTheFieldAxonsResolverWouldRead() {
        Class<?>[] commands = CustomerCommand.class.getPermittedSubclasses();

        assertThat(commands).hasSize(6);
        for (Class<?> command : commands) {
            List<String> identifiers = annotatedMembers(command, TargetAggregateIdentifier.class);
            assertThat(identifiers).as(command.getSimpleName()).containsOnly("customerId");
            assertThat(annotatedMembers(command, TargetAggregateVersion.class)).as(command.getSimpleName()).isEmpty();
        }
    }

    @Test
    void aCustomerCommandResolvesAsAxonsResolverResolvesIt() {
        for (Object command : List.of(new PlanTimers("c-1", List.of()), new FireTimers("c-2", Instant.EPOCH,
                List.of()))) {
            var message = GenericCommandMessage.asCommandMessage(command);

            assertThat(CustomerTargets.INSTANCE.resolveTarget(message)).isEqualTo(AXONS.resolveTarget(message));
            assertThat(CustomerTargets.INSTANCE.resolveTarget(message).getVersion()).isNull();
        }
        assertThat(CustomerTargets.INSTANCE.resolveTarget(GenericCommandMessage.asCommandMessage(
                new PlanTimers("c-1", List.of()))).getIdentifier()).isEqualTo("c-1");
    }

    @Test
    void anyOtherCommandIsLeftToAxonsResolver() {
        var annotated = GenericCommandMessage.asCommandMessage(new Other("o-1", 7L));
        assertThat(CustomerTargets.INSTANCE.resolveTarget(annotated)).isEqualTo(AXONS.resolveTarget(annotated));
        assertThat(CustomerTargets.INSTANCE.resolveTarget(annotated).getVersion()).isEqualTo(7L);

        var none = GenericCommandMessage.asCommandMessage("no target");
        assertThatThrownBy(() -> CustomerTargets.INSTANCE.resolveTarget(none))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCustomerAggregateIsConfiguredWithIt() throws Exception {
        Aggregate aggregate = Class.forName("org.salesledger.command.customer.Customer")
                .getAnnotation(Aggregate.class);
        Method bean = StoreConfiguration.class.getDeclaredMethod(aggregate.commandTargetResolver());

        assertThat(bean.isAnnotationPresent(Bean.class)).isTrue();
        bean.setAccessible(true);
        assertThat(bean.invoke(new StoreConfiguration())).isSameAs(CustomerTargets.INSTANCE);
    }

    record Other(@TargetAggregateIdentifier String id, @TargetAggregateVersion Long version) {
    }

    private static List<String> annotatedMembers(Class<?> type, Class<? extends java.lang.annotation.Annotation> a) {
        return Stream.concat(Stream.of(type.getDeclaredFields()), Stream.of(type.getDeclaredMethods()))
                .filter(member -> ((AccessibleObject) member).isAnnotationPresent(a))
                .map(member -> ((java.lang.reflect.Member) member).getName())
                .distinct()
                .toList();
    }
}
