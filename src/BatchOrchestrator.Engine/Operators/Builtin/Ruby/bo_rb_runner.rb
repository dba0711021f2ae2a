# Runs one rb> task try for BatchOrchestrator, with Digdag's Ruby API (Digdag.env).
#
# Reads $BO_TASK_DIR/task.json ({"command", "require", "params"}), requires the file named by the
# require option (from the project's folder, which is on $LOAD_PATH), runs the command, and
# writes {"store", "export", "subtasks"} to $BO_OUTPUT. On an exception it prints it as Ruby
# would (to the task log), writes {"error": {"type", "message", "traceback"}} and exits 1; the
# backtrace leaves out this runner's frames.
#
# The command is METHOD (a method defined at the top level of a required file),
# Module::Class.method (a class method) or Module::Class.method for an instance method (the class
# is instantiated, its initialize arguments bound from params too). Arguments are bound from
# params by name, as Digdag does: required and optional positional ones, keyword ones, and
# **rest receives every param.
require 'json'

module Digdag
  # What one rb> try sees of the workflow, and what it hands back.
  class Env
    attr_reader :params, :store_params, :export_params, :state_params, :subtask_config

    def initialize(params)
      @params = params
      @store_params = {}
      @export_params = {}
      @state_params = {}
      @subtask_config = {}
    end

    def store(params = {}, **more)
      @store_params.merge!(Digdag.keys_as_text(params.merge(more)))
    end

    def export(params = {}, **more)
      @export_params.merge!(Digdag.keys_as_text(params.merge(more)))
    end

    # Accepted for compatibility; a try's state is not carried to the next try here.
    def set_state(params = {}, **more)
      @state_params.merge!(Digdag.keys_as_text(params.merge(more)))
    end

    # add_subtask(config), add_subtask(:method, params = {}) or add_subtask(Klass, :method, params = {}).
    def add_subtask(*args, **more)
      params = args.last.is_a?(Hash) ? args.pop : {}
      params = Digdag.keys_as_text(params.merge(more))
      config =
        case args.length
        when 0 then params
        when 1 then params.merge('rb>' => method_name(args[0]))
        when 2 then params.merge('rb>' => "::#{class_of(args[0])}.#{method_name(args[1])}")
        else raise ArgumentError, "add_subtask takes a config, a method name, or a class and a method name (#{args.length} arguments given)"
        end
      begin
        JSON.generate(config)
      rescue StandardError => e
        raise ArgumentError, "Parameters must be serializable using JSON: #{e.message}"
      end
      @subtask_config["+subtask#{@subtask_config.size}"] = config
      nil
    end

    private

    def method_name(name)
      raise ArgumentError, "a method name must be a Symbol or a String, not #{name.inspect}" unless name.is_a?(Symbol) || name.is_a?(String)
      raise ArgumentError, "Method name can't include '.'" if name.to_s.include?('.')
      name.to_s
    end

    def class_of(klass)
      name = klass.is_a?(Module) ? klass.name : klass.to_s
      found = begin
        Object.const_get(name)
      rescue NameError
        raise ArgumentError, "Could not find class named #{name}"
      end
      raise ArgumentError, "#{name} is not a class" unless found.is_a?(Module)
      found.name
    end
  end

  def self.keys_as_text(hash)
    hash.to_h { |key, value| [key.to_s, value] }
  end

  def self.env
    @env
  end

  def self.start(params)
    @env = Env.new(params)
  end
end

module BoRbRunner
  RUNNER_FILE = File.expand_path(__FILE__)
  MOST_FRAMES = 30

  module_function

  def main
    task = JSON.parse(File.read(File.join(ENV.fetch('BO_TASK_DIR'), 'task.json')))
    params = task['params'] || {}
    Digdag.start(params)
    $LOAD_PATH.unshift(Dir.pwd)
    begin
      require task['require'] if task['require']
      run(task['command'], params)
    rescue SystemExit => e
      fail_with(e, 'SystemExit', "exit status #{e.status}") unless e.success?
    rescue Exception => e # rubocop:disable Lint/RescueException -- the user's error of any kind is the task's failure
      fail_with(e, e.class.name, e.message)
    end
    env = Digdag.env
    write('store' => env.store_params, 'export' => env.export_params, 'subtasks' => env.subtask_config.empty? ? nil : env.subtask_config)
  end

  def run(command, params)
    fragments = command.split('.')
    name = fragments.pop.to_sym
    if fragments.empty?
      # A method defined at the top level of a required file: a private method of Object.
      return call(TOPLEVEL_BINDING.receiver.method(name), params, name.to_s)
    end

    klass = Object.const_get(fragments.join('.'))
    if klass.public_instance_methods.include?(name)
      positional, keywords = arguments(klass.instance_method(:initialize), params, "#{klass}#initialize")
      call(klass.new(*positional, **keywords).method(name), params, "#{klass}##{name}")
    else
      call(klass.method(name), params, "#{klass}.#{name}")
    end
  end

  def call(method, params, label)
    positional, keywords = arguments(method, params, label)
    method.call(*positional, **keywords)
  end

  # The positional and the keyword arguments, from params by name.
  def arguments(method, params, label)
    positional = []
    keywords = {}
    gap = false
    method.parameters.each do |kind, name|
      key = name.to_s
      case kind
      when :req, :keyreq
        raise ArgumentError, "Method '#{label}' requires parameter '#{key}' but not set" unless params.key?(key)
        kind == :req ? positional << params[key] : keywords[name] = params[key]
      when :opt
        # After an optional one left to its default, later ones cannot be given by position.
        gap ||= !params.key?(key)
        positional << params[key] unless gap
      when :key
        keywords[name] = params[key] if params.key?(key)
      when :keyrest
        params.each { |k, v| keywords[k.to_sym] = v }
      end
    end
    [positional, keywords]
  end

  def fail_with(error, type, message)
    trace = user_backtrace(error)
    warn trace
    write('error' => { 'type' => type, 'message' => message, 'traceback' => trace })
    $stderr.flush
    exit!(1)
  end

  # The exception as Ruby prints it, without this runner's frames: what the user's code did.
  def user_backtrace(error)
    frames = (error.backtrace || []).reject { |line| line.start_with?(RUNNER_FILE) || line.start_with?('-e:') || line.include?('<internal:') }
    lines = []
    # A runaway recursion would otherwise carry thousands of frames into the task's records.
    left_out = frames.length - MOST_FRAMES
    frames = frames.first(MOST_FRAMES) if left_out.positive?
    head = frames.first ? "#{frames.first}: " : ''
    lines << "#{head}#{error.message} (#{error.class.name})"
    lines.concat(frames.drop(1).map { |frame| "\tfrom #{frame}" })
    lines << "\t(#{left_out} more frames left out)" if left_out.positive?
    lines.join("\n")
  end

  def write(result)
    $stdout.flush
    File.write(ENV.fetch('BO_OUTPUT'), JSON.generate(result))
  end
end

BoRbRunner.main
