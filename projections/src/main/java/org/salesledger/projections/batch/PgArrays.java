package org.salesledger.projections.batch;

import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Column values of a batch as one array parameter each (for {@code unnest(…)} and {@code = any(…)}), handed to
 * PgJDBC as Java arrays. PgJDBC sends {@code String[]} and {@code Long[]} in PostgreSQL's binary array format; jOOQ's
 * own array binding renders every array as escaped text, element by element, which PostgreSQL then parses again —
 * a fifth of a timeline rebuild's CPU in the JVM alone (docs/benchmarks.md, 2026-11-23 18:35).
 *
 * <p>Other element types travel as text and are cast by PostgreSQL ({@link #of}): every element's
 * {@code toString()} must then be a literal PostgreSQL reads as that type (ISO dates and times, plain numbers).
 */
public final class PgArrays {

    private static final DataType<String[]> TEXT = SQLDataType.VARCHAR.getArrayDataType()
            .asConvertedDataType(new NativeArray<>(String[].class, "text[]"));
    private static final DataType<Long[]> BIGINT = SQLDataType.BIGINT.getArrayDataType()
            .asConvertedDataType(new NativeArray<>(Long[].class, "bigint[]"));
    private static final Map<String, DataType<String[]>> CAST_FROM_TEXT = new ConcurrentHashMap<>();

    private PgArrays() {
    }

    /** SQL types of the element types sent as text, by Java class. */
    private static final Map<Class<?>, String> SQL_TYPES = Map.of(
            java.time.OffsetDateTime.class, "timestamptz",
            java.time.LocalDate.class, "date",
            Short.class, "smallint",
            Integer.class, "integer",
            java.math.BigDecimal.class, "numeric",
            Boolean.class, "boolean");

    /**
     * An array of any supported element type: {@code String} and {@code Long} as they are, the types of
     * {@link #SQL_TYPES} as text cast by PostgreSQL.
     */
    @SuppressWarnings("unchecked")
    public static <T> Field<T[]> of(T[] values) {
        Class<?> element = values.getClass().getComponentType();
        if (element == String.class) {
            return (Field<T[]>) (Field<?>) text((String[]) values);
        }
        if (element == Long.class) {
            return (Field<T[]>) (Field<?>) bigint((Long[]) values);
        }
        String sqlType = SQL_TYPES.get(element);
        if (sqlType == null) {
            throw new IllegalArgumentException("no PostgreSQL array type known for " + element.getName());
        }
        return (Field<T[]>) (Field<?>) asText(values, sqlType);
    }

    /**
     * Rows of a table as {@code select * from unnest(…)}: one array parameter per field, in the table's field order,
     * for {@code insert into table (fields) select …} — one statement text and as many parameters as columns,
     * whatever the number of rows. Every field must be of a type {@link #of} takes.
     */
    public static <R extends Record> Select<Record> rows(Table<R> table, List<R> rows) {
        Field<?>[] fields = table.fields();
        QueryPart[] arrays = new QueryPart[fields.length];
        for (int f = 0; f < fields.length; f++) {
            Object[] values = (Object[]) java.lang.reflect.Array.newInstance(fields[f].getType(), rows.size());
            for (int i = 0; i < values.length; i++) {
                values[i] = rows.get(i).get(f);
            }
            arrays[f] = of(values);
        }
        return DSL.selectFrom(DSL.table("unnest({0})", DSL.list(arrays)));
    }

    public static Field<String[]> text(String[] values) {
        return DSL.val(values, TEXT);
    }

    public static Field<Long[]> bigint(Long[] values) {
        return DSL.val(values, BIGINT);
    }

    /**
     * Values of another type, sent as text and cast to {@code sqlType[]} by PostgreSQL ({@code null} elements stay
     * {@code null}). For {@code date}, {@code timestamptz}, {@code smallint}, {@code numeric}: Java's
     * {@code toString()} of {@code LocalDate}, {@code OffsetDateTime}, {@code Short} and {@code BigDecimal} are
     * literals PostgreSQL reads.
     */
    private static <T> Field<String[]> asText(T[] values, String sqlType) {
        String[] texts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            texts[i] = values[i] == null ? null : values[i].toString();
        }
        DataType<String[]> type = CAST_FROM_TEXT.computeIfAbsent(sqlType, t -> SQLDataType.VARCHAR.getArrayDataType()
                .asConvertedDataType(new NativeArray<>(String[].class, "text[]::" + t + "[]")));
        return DSL.val(texts, type);
    }

    /** Binds a Java array as it is ({@code setObject}), the parameter cast to {@code cast} in the statement. */
    private static final class NativeArray<T> implements Binding<T[], T[]> {

        private final Class<T[]> type;
        private final String cast;
        private final Converter<T[], T[]> converter;

        NativeArray(Class<T[]> type, String cast) {
            this.type = type;
            this.cast = cast;
            this.converter = Converter.of(type, type, Function.identity(), Function.identity());
        }

        @Override
        public Converter<T[], T[]> converter() {
            return converter;
        }

        @Override
        public void sql(BindingSQLContext<T[]> ctx) {
            if (ctx.render().paramType() == ParamType.INLINED) {
                // only when jOOQ renders a statement with its values inlined (logging)
                ctx.render().visit(DSL.inline(ctx.value())).sql("::" + cast);
            } else {
                ctx.render().sql("?::" + cast);
            }
        }

        @Override
        public void set(BindingSetStatementContext<T[]> ctx) throws SQLException {
            if (ctx.value() == null) {
                ctx.statement().setNull(ctx.index(), Types.ARRAY);
            } else {
                ctx.statement().setObject(ctx.index(), ctx.value());
            }
        }

        @Override
        public void get(BindingGetResultSetContext<T[]> ctx) throws SQLException {
            java.sql.Array array = ctx.resultSet().getArray(ctx.index());
            ctx.value(array == null ? null : type.cast(array.getArray()));
        }

        @Override
        public void register(BindingRegisterContext<T[]> ctx) {
            throw new UnsupportedOperationException("arrays are bound as parameters only");
        }

        @Override
        public void set(BindingSetSQLOutputContext<T[]> ctx) {
            throw new UnsupportedOperationException("arrays are bound as parameters only");
        }

        @Override
        public void get(BindingGetStatementContext<T[]> ctx) {
            throw new UnsupportedOperationException("arrays are bound as parameters only");
        }

        @Override
        public void get(BindingGetSQLInputContext<T[]> ctx) {
            throw new UnsupportedOperationException("arrays are bound as parameters only");
        }
    }
}
