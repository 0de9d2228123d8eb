package org.salesledger.projections.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a {@code static CloseableDSLContext} field of a test class: before the class's tests it is set to a fresh
 * database with the read models' migrations applied ({@link ReadModelDatabase#migrated()}), and closed after them.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Migrated.Databases.class)
public @interface Migrated {

    /** Sets and closes the class's {@link Migrated} fields. */
    final class Databases implements BeforeAllCallback, AfterAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) throws IllegalAccessException {
            for (Field field : fields(context.getRequiredTestClass())) {
                if (field.get(null) == null) {
                    field.set(null, ReadModelDatabase.migrated());
                }
            }
        }

        @Override
        public void afterAll(ExtensionContext context) throws IllegalAccessException {
            for (Field field : fields(context.getRequiredTestClass())) {
                if (field.get(null) instanceof CloseableDSLContext db) {
                    db.close();
                    field.set(null, null);
                }
            }
        }

        private static List<Field> fields(Class<?> test) {
            List<Field> fields = new ArrayList<>();
            for (Field field : test.getDeclaredFields()) {
                if (field.isAnnotationPresent(Migrated.class)) {
                    if (!Modifier.isStatic(field.getModifiers()) || field.getType() != CloseableDSLContext.class) {
                        throw new IllegalStateException("@Migrated marks a static CloseableDSLContext field; "
                                + test.getSimpleName() + "." + field.getName() + " is not one");
                    }
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
            return fields;
        }
    }
}
