package dev.svcaccounts.infra.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Request bodies are read strictly: {@code {"name": 5}} is a wrong type, not the name "5" (nor is {@code "90"} or
 * {@code 90.5} a whole number, or {@code "true"} a boolean); an empty string is not
 * silently turned into null for a date or number; a key given twice is refused, not "the last one wins", and so is
 * anything after the body's JSON value (a second object is not ignored); an instant
 * is an ISO-8601 string with its offset, never a number of seconds or a local date-time. (Unknown fields are refused
 * by configuration; text that could not be stored as sent, by {@link JsonBodyCheck}.)
 */
@Component
class StrictJson implements Jackson2ObjectMapperBuilderCustomizer {

    @Override
    public void customize(Jackson2ObjectMapperBuilder builder) {
        builder.featuresToEnable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        builder.deserializerByType(Instant.class, new IsoInstantDeserializer());
        builder.postConfigurer(mapper -> {
            mapper.coercionConfigFor(LogicalType.Textual)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.coercionConfigDefaults()
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Textual)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert);
            // a number of days is 90, never "90" nor 90.5 (which would silently become 90); a flag true or false
            mapper.coercionConfigFor(LogicalType.Integer)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Boolean)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        });
    }

    /** An instant as {@link Parameters#parseInstant} reads it, from a JSON string only. */
    static final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> {

        IsoInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.hasToken(JsonToken.START_OBJECT) || p.hasToken(JsonToken.START_ARRAY)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                try {
                    return Parameters.parseInstant(text);
                } catch (DateTimeException e) {
                    // reported below
                }
            }
            throw InvalidFormatException.from(p, "not " + Parameters.INSTANT_FORMAT, text, Instant.class);
        }
    }
}
