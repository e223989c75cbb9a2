package dev.boxoffice.local.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * A handler string ({@code com.example.Handler::handleRequest} or {@code com.example.Handler}) bound to one handler
 * instance, turning the JSON payload into the method's input type and the result back into JSON the way the Java
 * Lambda runtime does (its own serializers, so event classes keep their AWS field names).
 */
final class HandlerMethod {

  private final Object instance;
  private final Method method;
  private final PojoSerializer<Object> inputSerializer;
  private final PojoSerializer<Object> outputSerializer;

  private HandlerMethod(Object instance, Method method, PojoSerializer<Object> inputSerializer,
                        PojoSerializer<Object> outputSerializer) {
    this.instance = instance;
    this.method = method;
    this.inputSerializer = inputSerializer;
    this.outputSerializer = outputSerializer;
  }

  /**
   * Loads the class and constructs it once: with its public {@code (Map<String, String> environment)} constructor
   * when it has one, else with its no-arg constructor.
   */
  static HandlerMethod load(String handler, Map<String, String> environment, ClassLoader classLoader) {
    String[] parts = handler.split("::", 2);
    String methodName = parts.length == 2 ? parts[1] : "handleRequest";
    Class<?> handlerClass;
    try {
      handlerClass = Class.forName(parts[0], true, classLoader);
    } catch (ClassNotFoundException e) {
      throw new LambdaFunctionError("Runtime.ImportModuleError", "Class not found: " + parts[0], e);
    } catch (LinkageError e) {
      throw new LambdaFunctionError("Runtime.ExceptionInInitializer", parts[0] + " failed to load: " + e, e);
    }
    Object instance = construct(handlerClass, environment);
    Method method = Arrays.stream(handlerClass.getMethods())
        .filter(candidate -> candidate.getName().equals(methodName))
        .filter(candidate -> !candidate.isBridge() && !candidate.isSynthetic())
        .filter(HandlerMethod::hasHandlerSignature)
        .max(Comparator.comparingInt(Method::getParameterCount))
        .orElseThrow(() -> new LambdaFunctionError("Runtime.HandlerNotFound",
            "No public method " + methodName + " with a handler signature in " + parts[0], null));
    if (method.getParameterCount() == 3) {
      return new HandlerMethod(instance, method, null, null);
    }
    PojoSerializer<Object> input = method.getParameterCount() == 0
        ? null
        : serializerFor(method.getGenericParameterTypes()[0], classLoader);
    PojoSerializer<Object> output = method.getReturnType() == void.class
        ? null
        : serializerFor(method.getGenericReturnType(), classLoader);
    return new HandlerMethod(instance, method, input, output);
  }

  String invoke(String payloadJson, Context context) throws Throwable {
    try {
      if (method.getParameterCount() == 3) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        method.invoke(instance,
            new ByteArrayInputStream(payloadJson.getBytes(StandardCharsets.UTF_8)), output, context);
        return output.toString(StandardCharsets.UTF_8);
      }
      Object result = switch (method.getParameterCount()) {
        case 0 -> method.invoke(instance);
        case 1 -> method.invoke(instance, deserialize(payloadJson));
        default -> method.invoke(instance, deserialize(payloadJson), context);
      };
      if (outputSerializer == null || result == null) {
        return "null";
      }
      ByteArrayOutputStream json = new ByteArrayOutputStream();
      outputSerializer.toJson(result, json);
      return json.toString(StandardCharsets.UTF_8);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private Object deserialize(String payloadJson) {
    try {
      return inputSerializer.fromJson(payloadJson);
    } catch (RuntimeException e) {
      throw new LambdaFunctionError("Runtime.SerializationError",
          "payload does not deserialize to " + method.getGenericParameterTypes()[0].getTypeName(), e);
    }
  }

  private static boolean hasHandlerSignature(Method method) {
    Class<?>[] parameters = method.getParameterTypes();
    return switch (parameters.length) {
      case 0, 1 -> true;
      case 2 -> parameters[1] == Context.class;
      case 3 -> parameters[0] == InputStream.class && parameters[1] == OutputStream.class
          && parameters[2] == Context.class;
      default -> false;
    };
  }

  private static Object construct(Class<?> handlerClass, Map<String, String> environment) {
    if (Modifier.isAbstract(handlerClass.getModifiers())) {
      throw new LambdaFunctionError("Runtime.HandlerNotFound", handlerClass.getName() + " is abstract", null);
    }
    try {
      try {
        Constructor<?> withEnvironment = handlerClass.getConstructor(Map.class);
        return withEnvironment.newInstance(environment);
      } catch (NoSuchMethodException noEnvironmentConstructor) {
        return handlerClass.getConstructor().newInstance();
      }
    } catch (InvocationTargetException e) {
      throw new LambdaFunctionError("Runtime.ExceptionInInitializer",
          handlerClass.getName() + " failed to construct: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new LambdaFunctionError("Runtime.HandlerNotFound",
          handlerClass.getName() + " has neither a public (Map) nor a public no-arg constructor", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static PojoSerializer<Object> serializerFor(Type type, ClassLoader classLoader) {
    if (type instanceof Class<?> eventClass && LambdaEventSerializers.isLambdaSupportedEvent(eventClass.getName())) {
      return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(eventClass, classLoader);
    }
    return JacksonFactory.getInstance().getSerializer(type);
  }
}
