package dev.boxoffice.backend.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * vertx-openapi's request validation against the same contract, with the same errors, minus three costs of its 5.0.7
 * implementation that dominated the backend's CPU under load: it parses string parameters as JSON first (see
 * {@link #validateParameter}), builds a new schema validator (a copy of the contract's whole schema map) for every
 * parameter and body of every request, and hops to a worker thread and back for each request. Here every
 * parameter's and body's validator is built once, at start-up, from the same contract, and a request is validated
 * where it arrives, on its event loop: a few microseconds for the API's small schemas and its bodies of at most
 * {@link ApiRouter#MAX_BODY_BYTES}.
 */
final class PrecompiledRequestValidator extends RequestValidatorImpl {

  PrecompiledRequestValidator(Vertx vertx, OpenAPIContract contract) {
    super(vertx, new PrecompiledContract(contract));
  }

  @Override
  public Future<ValidatedRequest> validate(ValidatableRequest request, String operationId) {
    Operation operation = contract.operation(operationId);
    if (operation == null) {
      return Future.failedFuture(ValidatorException.createOperationIdInvalid(operationId));
    }
    try {
      return Future.succeededFuture(validateNow(request, operation));
    } catch (ValidatorException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * A string parameter in the simple or form style (every string parameter of this API: paths, headers, queries) is
   * its raw text, checked against its schema. vertx-openapi 5.0.7 first parses any such value that is not a single
   * word as JSON and catches the failure: two exceptions with stack traces for every UUID in a path and every
   * Idempotency-Key, four per purchase, which cost more than the rest of the request. Parsing also turned a key like
   * {@code "abc"} into {@code abc} and refused a key like {@code 12.5} as a number; here a string is a string.
   */
  @Override
  public RequestParameter validateParameter(Parameter parameter, RequestParameter value) {
    boolean plainString = parameter.getSchemaType() == SchemaType.STRING
        && (parameter.getStyle() == Style.SIMPLE || parameter.getStyle() == Style.FORM);
    if (!plainString || value == null || value.isNull()) {
      return super.validateParameter(parameter, value);
    }
    String text = String.valueOf(value.get());
    OutputUnit result = contract.getSchemaRepository().validator(parameter.getSchema()).validate(text);
    try {
      result.checkValidity();
      return new RequestParameterImpl(text);
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
    }
  }

  /** What {@code RequestValidatorImpl.validate} does inside its {@code executeBlocking}, on the calling thread. */
  private ValidatedRequest validateNow(ValidatableRequest request, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter parameter : operation.getParameters()) {
      String name = parameter.getName();
      switch (parameter.getIn()) {
        case COOKIE -> cookies.put(name, validateParameter(parameter, request.getCookies().get(name)));
        case HEADER -> headers.put(name, validateParameter(parameter, request.getHeaders().get(name)));
        case PATH -> path.put(name, validateParameter(parameter, request.getPathParameters().get(name)));
        case QUERY -> query.put(name, validateParameter(parameter, request.getQuery().get(name)));
      }
    }
    RequestParameter body = validateBody(operation.getRequestBody(), request);
    return new ValidatedRequestImpl(cookies, headers, path, query, body);
  }

  /** The contract, whose schema repository hands out the validators built at start-up. */
  private record PrecompiledContract(OpenAPIContract contract, SchemaRepository schemas) implements OpenAPIContract {

    PrecompiledContract(OpenAPIContract contract) {
      this(contract, new PrecompiledSchemas(contract));
    }

    @Override
    public SchemaRepository getSchemaRepository() {
      return schemas;
    }

    @Override
    public Operation operation(String operationId) {
      return contract.operation(operationId);
    }

    @Override
    public List<Operation> operations() {
      return contract.operations();
    }

    @Override
    public List<Path> getPaths() {
      return contract.getPaths();
    }

    @Override
    public JsonObject getRawContract() {
      return contract.getRawContract();
    }

    @Override
    public OpenAPIVersion getVersion() {
      return contract.getVersion();
    }

    @Override
    public List<Server> getServers() {
      return contract.getServers();
    }

    @Override
    public Path findPath(String urlPath) {
      return contract.findPath(urlPath);
    }

    @Override
    public Operation findOperation(String urlPath, HttpMethod method) {
      return contract.findOperation(urlPath, method);
    }

    @Override
    public List<SecurityRequirement> getSecurityRequirements() {
      return contract.getSecurityRequirements();
    }

    @Override
    public SecurityScheme securityScheme(String name) {
      return contract.securityScheme(name);
    }
  }

  /**
   * The contract's schema repository, except that the validator of each parameter and body schema of the contract
   * is built once (looked up by identity: the contract hands out the same schema object every time). A validator
   * keeps no state between validations, so the event loops share them; the map is not changed after construction.
   */
  private static final class PrecompiledSchemas implements SchemaRepository {

    private final SchemaRepository repository;
    private final Map<JsonSchema, Validator> validators = new IdentityHashMap<>();

    PrecompiledSchemas(OpenAPIContract contract) {
      this.repository = contract.getSchemaRepository();
      for (Operation operation : contract.operations()) {
        for (Parameter parameter : operation.getParameters()) {
          precompile(parameter.getSchema());
        }
        if (operation.getRequestBody() != null) {
          for (MediaType mediaType : operation.getRequestBody().getContent().values()) {
            precompile(mediaType.getSchema());
          }
        }
      }
    }

    private void precompile(JsonSchema schema) {
      if (schema != null) {
        validators.computeIfAbsent(schema, repository::validator);
      }
    }

    @Override
    public Validator validator(JsonSchema schema) {
      Validator validator = validators.get(schema);
      return validator != null ? validator : repository.validator(schema);
    }

    @Override
    public Validator validator(String ref) {
      return repository.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return repository.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return repository.validator(schema, options, dereference);
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) {
      throw new UnsupportedOperationException("the contract's schemas are fixed once it is loaded");
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) {
      throw new UnsupportedOperationException("the contract's schemas are fixed once it is loaded");
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      throw new UnsupportedOperationException("the contract's schemas are fixed once it is loaded");
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      throw new UnsupportedOperationException("the contract's schemas are fixed once it is loaded");
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return repository.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return repository.find(pointer);
    }
  }
}
