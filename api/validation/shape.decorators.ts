import { Type } from 'class-transformer';
import {
  buildMessage, IsObject, IsString, Length, ValidateBy, ValidateIf, ValidateNested, type ValidationOptions,
} from 'class-validator';

// Composite decorators apply their parts type check first: with the pipe's stopAtFirstError a
// wrong type is reported as such, not as a bad length or a bad nested field.

/**
 * Optional in the body: absent is fine, but `null` is a value like any other and must pass the
 * field's checks (class-validator's @IsOptional would let null through to the workflow).
 */
export function IsAbsentOr(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** Control characters other than tab and line breaks: no text a person typed has them, and PostgreSQL refuses NUL. */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Text a person typed: a string of bounded length without control characters. */
export function IsText(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, property) => {
    IsString(options)(target, property);
    Length(min, max, options)(target, property);
    ValidateBy({
      name: 'hasNoControlCharacters',
      validator: {
        validate: (value) => typeof value === 'string' && !CONTROL_CHARACTERS.test(value),
        defaultMessage: buildMessage((each) => `${each}$property must not contain control characters`),
      },
    }, options)(target, property);
  };
}

/**
 * A nested object of the given class. @ValidateNested alone would accept an array (it validates
 * each element) and so let `[]` through; @IsObject refuses arrays, strings and null.
 */
export function IsNestedObject(type: () => new () => object, options?: ValidationOptions): PropertyDecorator {
  return (target, property) => {
    IsObject(options)(target, property);
    ValidateNested(options)(target, property);
    Type(type)(target, property);
  };
}
