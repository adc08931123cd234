package io.mhaserverless.node;

import io.mhaserverless.node.binlog.SourceCoordinate;
import picocli.CommandLine;

/** {@code FILE:POS} options. */
final class CoordinateConverter implements CommandLine.ITypeConverter<SourceCoordinate> {
    @Override
    public SourceCoordinate convert(String value) {
        try {
            return SourceCoordinate.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
